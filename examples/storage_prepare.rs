//! Times preparing a ~2 MB storage-format body (the storage module's fixtures repeated) with four
//! rules and drop-done: `cargo run --release --example storage_prepare`.

use std::time::Instant;

use confluence_weekly::storage::{Prepare, Rules, TaskMode};

fn main() {
    let piece = [
        include_str!("../src/storage/fixtures/korean_team.xml"),
        include_str!("../src/storage/fixtures/second_team.xml"),
        include_str!("../src/storage/fixtures/per_person.xml"),
        include_str!("../src/storage/fixtures/code_and_tasks.xml"),
    ]
    .concat();
    let body = piece.repeat((2 << 20) / piece.len() + 1);
    let rules = Rules::parse("차주 예정 내역 -> 금주 진행 내역\nNext week -> This week", "비고\nNotes").expect("rules");
    let prepare = Prepare::new(rules, TaskMode::DropDone);
    let started = Instant::now();
    let out = prepare.apply(&body).expect("the fixtures read");
    let took = started.elapsed();
    println!("{} bytes -> {} bytes in {took:.2?}", body.len(), out.body.len());
    for rule in &out.rules {
        println!("  {rule}");
    }
    println!("  tasks: {:?}", out.tasks);
}
