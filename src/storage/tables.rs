//! Tables as grids: every slot of every row holds the cell that covers it, `colspan` and `rowspan`
//! honoured, so a column is a grid position and a cell spanning rows is one cell. The first row is
//! the header: its cells name the columns they cover. Tables nested in a cell belong to that cell.

use std::collections::HashSet;

use super::edit::{EMPTY, Edits, fill_element, substance};
use super::names::name_of;
use super::scan::{Id, Tree};

/// No real table is wider; a larger `colspan` is read as this.
const MAX_COLSPAN: usize = 1000;

/// One table's grid.
#[derive(Debug)]
pub(crate) struct Grid {
    /// `slots[row][column]`: the cell covering that slot, if any.
    slots: Vec<Vec<Option<Id>>>,
    /// The normalised name of each column (from the first row's cells; empty where none).
    names: Vec<String>,
    /// The cells of the first row (never changed: they are the names).
    header: HashSet<Id>,
}

impl Grid {
    pub fn of(tree: &Tree<'_>, table: Id) -> Self {
        let rows = rows_of(tree, table);
        let mut slots: Vec<Vec<Option<Id>>> = vec![Vec::new(); rows.len()];
        for (r, &tr) in rows.iter().enumerate() {
            let mut c = 0;
            for cell in tree.child_elements(tr).filter(|&id| tree.get(id).is_cell()) {
                while slots[r].get(c).is_some_and(Option::is_some) {
                    c += 1;
                }
                let el = tree.get(cell);
                let down = if el.rowspan == 0 { rows.len() - r } else { el.rowspan.min(rows.len() - r) };
                let across = el.colspan.min(MAX_COLSPAN);
                for row in &mut slots[r..r + down] {
                    if row.len() < c + across {
                        row.resize(c + across, None);
                    }
                    row[c..c + across].fill(Some(cell));
                }
                c += across;
            }
        }
        let header: HashSet<Id> = slots.first().into_iter().flatten().flatten().copied().collect();
        let names = slots.first().map_or_else(Vec::new, |row| {
            row.iter().map(|slot| slot.map_or_else(String::new, |cell| name_of(tree, cell))).collect()
        });
        Grid { slots, names, header }
    }

    /// The columns whose header reads `key` (normalised), in order.
    pub fn columns(&self, key: &str) -> Vec<usize> {
        self.names.iter().enumerate().filter(|(_, n)| *n == key).map(|(i, _)| i).collect()
    }

    /// How many rows the table has, the header row included.
    pub fn rows(&self) -> usize {
        self.slots.len()
    }

    /// The data cell (not a header cell) covering `row`, `column`.
    pub fn cell(&self, row: usize, column: usize) -> Option<Id> {
        let cell = (*self.slots.get(row)?.get(column)?)?;
        (!self.header.contains(&cell)).then_some(cell)
    }
}

/// The rows of a table: its `tr`s, directly or in `thead`/`tbody`/`tfoot`, not those of tables
/// nested in its cells.
fn rows_of(tree: &Tree<'_>, table: Id) -> Vec<Id> {
    let mut rows = Vec::new();
    for child in tree.child_elements(table) {
        let el = tree.get(child);
        if el.is("tr") {
            rows.push(child);
        } else if el.is("thead") || el.is("tbody") || el.is("tfoot") {
            rows.extend(tree.child_elements(child).filter(|&id| tree.get(id).is("tr")));
        }
    }
    rows
}

/// What one rule did to tables: the tables with its column(s), the rows changed in them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TableCount {
    pub tables: usize,
    pub rows: usize,
}

impl TableCount {
    /// Counts a table whose changes were taken (or that had no data rows to change), with the
    /// rows changed in it. A table whose every change lay inside a region already changed (it is
    /// nested in a moved or emptied cell) is not counted.
    fn add(&mut self, rows: &HashSet<usize>, offered: usize) {
        if !rows.is_empty() || offered == 0 {
            self.tables += 1;
            self.rows += rows.len();
        }
    }
}

/// Carry: in every table with both columns, each row's TO cell takes the FROM cell's content and
/// the FROM cell is emptied. Columns named more than once pair in order. A cell already moved in
/// this table (it spans rows) is not moved again, so nothing is written twice or lost.
pub(crate) fn carry(tree: &Tree<'_>, from: &str, to: &str, edits: &mut Edits) -> TableCount {
    let mut count = TableCount::default();
    for table in tree.all().filter(|&id| tree.get(id).is("table")) {
        let grid = Grid::of(tree, table);
        let pairs: Vec<(usize, usize)> = grid.columns(from).into_iter().zip(grid.columns(to)).collect();
        if pairs.is_empty() {
            continue;
        }
        let (mut used, mut rows, mut offered) = (HashSet::new(), HashSet::new(), 0);
        for &(f, t) in &pairs {
            for row in 1..grid.slots.len() {
                let (Some(src), Some(dst)) = (grid.cell(row, f), grid.cell(row, t)) else { continue };
                if src == dst || used.contains(&src) || used.contains(&dst) {
                    continue;
                }
                offered += 1;
                let moved = substance(tree, tree.get(src));
                let group = vec![fill_element(tree, tree.get(dst), moved), fill_element(tree, tree.get(src), EMPTY)];
                if edits.offer(group) {
                    used.extend([src, dst]);
                    rows.insert(row);
                }
            }
        }
        count.add(&rows, offered);
    }
    count
}

/// Clear: every data cell of every column named `name` is emptied (a cell spanning rows once).
pub(crate) fn clear(tree: &Tree<'_>, name: &str, edits: &mut Edits) -> TableCount {
    let mut count = TableCount::default();
    for table in tree.all().filter(|&id| tree.get(id).is("table")) {
        let grid = Grid::of(tree, table);
        let columns = grid.columns(name);
        if columns.is_empty() {
            continue;
        }
        let (mut seen, mut rows, mut offered) = (HashSet::new(), HashSet::new(), 0);
        for row in 1..grid.slots.len() {
            for &c in &columns {
                let Some(cell) = grid.cell(row, c) else { continue };
                if !seen.insert(cell) {
                    continue;
                }
                offered += 1;
                if edits.offer(vec![fill_element(tree, tree.get(cell), EMPTY)]) {
                    rows.insert(row);
                }
            }
        }
        count.add(&rows, offered);
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::scan::parse;

    fn grid(src: &str) -> (Tree<'_>, Grid) {
        let tree = parse(src).unwrap();
        let table = tree.all().find(|&id| tree.get(id).is("table")).unwrap();
        let grid = Grid::of(&tree, table);
        (tree, grid)
    }

    #[test]
    fn spans_place_cells_by_grid_position() {
        let src = "<table><tbody><tr><th>A</th><th colspan=\"2\">B</th><th>C</th></tr>\
                   <tr><td rowspan=\"2\">a1</td><td>b1</td><td>b2</td><td>c1</td></tr>\
                   <tr><td>b3</td><td>b4</td><td>c2</td></tr></tbody></table>";
        let (tree, grid) = grid(src);
        assert_eq!(grid.names, ["a", "b", "b", "c"]);
        assert_eq!(grid.columns("b"), [1, 2]);
        let text = |r, c| grid.cell(r, c).map(|id| name_of(&tree, id));
        assert_eq!(text(2, 0).as_deref(), Some("a1"), "the rowspan cell covers row 2");
        assert_eq!(text(2, 1).as_deref(), Some("b3"));
        assert_eq!(text(2, 3).as_deref(), Some("c2"));
        assert_eq!(text(0, 0), None, "header cells are not data cells");
    }

    #[test]
    fn header_rowspan_keeps_its_slots_out_of_the_data() {
        let (_, grid) = grid("<table><tr><th rowspan=\"2\">A</th><th>B</th></tr><tr><td>b</td></tr></table>");
        assert_eq!(grid.cell(1, 0), None);
        assert!(grid.cell(1, 1).is_some());
    }

    #[test]
    fn rows_of_nested_tables_are_not_the_outer_tables() {
        let src = "<table><tr><th>Outer</th></tr><tr><td><table><tr><th>Inner</th></tr>\
                   <tr><td>x</td></tr></table></td></tr></table>";
        let (_, grid) = grid(src);
        assert_eq!(grid.names, ["outer"]);
        assert_eq!(grid.slots.len(), 2);
    }

    #[test]
    fn rowspan_zero_runs_to_the_last_row() {
        let (_, grid) = grid(
            "<table><tr><th>A</th><th>B</th></tr><tr><td rowspan=\"0\">a</td><td>1</td></tr><tr><td>2</td></tr></table>",
        );
        assert_eq!(grid.cell(1, 0), grid.cell(2, 0));
        assert_ne!(grid.cell(1, 1), grid.cell(2, 1));
    }
}
