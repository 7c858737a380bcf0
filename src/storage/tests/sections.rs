//! Sections: per-person sections in a layout and an expand macro, pairing, clearing.

use super::*;

const ALICE_THIS: &str = "<ul><li><p>Reviewed the <a href=\"https://example.com/rfc/7\">RFC</a></p></li></ul>";
const ALICE_NEXT: &str = "<ul><li><p>Write the migration</p></li><li><p>Pair with <ac:link><ri:user ri:account-id=\"557058:0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e\" /></ac:link></p></li></ul>";
const BOB_THIS: &str = "<p>Holiday</p>";
const BOB_NEXT: &str = "<p>Benchmark the &ldquo;copy&rdquo; endpoint</p>";
const CAROL_THIS: &str = "<p>Onboarding</p>";
const CAROL_NEXT: &str = "<p>First ticket: <time datetime=\"2025-06-11\" /></p>";

#[test]
fn per_person_sections_carry_person_by_person_in_layouts_and_expand_macros() {
    let out = prepare("Next week -> This week", "", TaskMode::Keep, PER_PERSON);
    let expected = swapped(
        PER_PERSON,
        &[
            (ALICE_THIS, ALICE_NEXT),
            (ALICE_NEXT, "<p />"),
            (BOB_THIS, BOB_NEXT),
            (BOB_NEXT, "<p />"),
            (CAROL_THIS, CAROL_NEXT),
            (CAROL_NEXT, "<p />"),
        ],
    );
    assert_eq!(out.body, expected);
    assert_eq!(out.rules[0].to_string(), "carry Next week -> This week: 0 tables, 0 rows, 3 sections");
}

#[test]
fn clearing_a_section_keeps_its_heading_and_the_lines_around() {
    let out = prepare("", "next week", TaskMode::Keep, PER_PERSON);
    let expected = swapped(PER_PERSON, &[(ALICE_NEXT, "<p />"), (BOB_NEXT, "<p />"), (CAROL_NEXT, "<p />")]);
    assert_eq!(out.body, expected);
    assert_eq!(out.rules[0].sections, 3);

    // A person's section holds their sub-sections: it runs to the next person (or the cell's end).
    let out = prepare("", "Alice", TaskMode::Keep, PER_PERSON);
    let alice = between(PER_PERSON, "<h3>This&nbsp;week</h3>", ALICE_NEXT);
    assert_eq!(out.body, swapped(PER_PERSON, &[(alice, "<p />")]));
    assert!(out.body.contains("<h2>Alice</h2>\n<p />\n<h2>Bob</h2>"));
}

#[test]
fn sections_in_one_enclosing_section_pair_in_order_and_the_rest_stay() {
    let body = "<h2>Team</h2>\n<h3>Next week</h3>\n<p>A</p>\n<h3>This week</h3>\n<p>B</p>\n\
                <h3>Next week</h3>\n<p>C</p>\n<h2>Other</h2>\n<h3>This week</h3>\n<p>D</p>\n";
    let out = prepare("Next week -> This week", "", TaskMode::Keep, body);
    assert_eq!(
        out.body,
        "<h2>Team</h2>\n<h3>Next week</h3>\n<p />\n<h3>This week</h3>\n<p>A</p>\n\
         <h3>Next week</h3>\n<p>C</p>\n<h2>Other</h2>\n<h3>This week</h3>\n<p>D</p>\n",
        "the second Next week has no partner under Team; Other's This week none at all"
    );
    assert_eq!(out.rules[0].sections, 1);
}

#[test]
fn headings_in_panels_count_and_code_never_does() {
    let out = prepare("", "Notes", TaskMode::Keep, CODE_AND_TASKS);
    let cdata = between(CODE_AND_TASKS, "<![CDATA[", "]]>");
    assert!(out.body.contains(cdata));
    let notes = "<p>Keep this code sample: <code>&lt;th&gt;Notes&lt;/th&gt;</code></p>";
    assert_eq!(out.body, swapped(CODE_AND_TASKS, &[(notes, "<p />")]));
    assert_eq!((out.rules[0].tables, out.rules[0].sections), (0, 1));

    let out = prepare("", "Notes", TaskMode::Keep, PER_PERSON);
    let panel = between(PER_PERSON, "<ac:structured-macro ac:name=\"panel\"", "</ac:structured-macro>");
    assert_eq!(out.body, swapped(PER_PERSON, &[(panel, "<p />")]));
}

#[test]
fn an_empty_section_is_filled_in_place() {
    let body = "<h3>This week</h3><h3>Next week</h3><p>plan</p>";
    let out = prepare("Next week -> This week", "", TaskMode::Keep, body);
    assert_eq!(out.body, "<h3>This week</h3><p>plan</p><h3>Next week</h3><p />");
}
