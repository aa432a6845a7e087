//! Benchmark: how long `paiban watch` takes from a one-paragraph edit to a new PDF on a
//! document of 300+ pages (the white paper's body repeated 45 times): a same-length typo
//! fix, and insertions that reflow the rest of the document or only the last page.
//!
//! It drives the same [`Session`] the `watch` command uses, so the figures are the
//! rebuild itself; the command adds its 30 ms settling time for editors' multi-event saves.
//! Run: `cargo bench --bench watch [-- EDITS]` (default 20 edits).

use std::path::Path;
use std::time::{Duration, Instant};

use paiban::pipeline::watch::{Changes, Session};
use paiban::pipeline::{Builder, Formats};
use paiban::project::Project;

/// A different character for each edit, so no edit repeats an earlier state (whose
/// layout typst would still have memoised).
fn typo(i: usize) -> String {
    let chars: Vec<char> =
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
            .chars()
            .collect();
    chars[i % chars.len()].to_string()
}

fn main() {
    let edits: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(20);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let content = dir.path().join("long.yaml");
    let original = std::fs::read_to_string(root.join("content/whitepaper.yaml")).unwrap();
    let (head, body) = original.split_once("\nbody:\n").expect("a body");
    let long = format!("{head}\nbody:\n{}", body.repeat(45));
    std::fs::write(&content, &long).unwrap();

    // The allocator's tuning the `watch` command sets, so the figures are the command's.
    if std::env::var_os("PAIBAN_BENCH_NO_TUNING").is_none() {
        paiban::pipeline::memory::keep_freed_memory();
    }
    let builder = Builder::new(Project::at(root).unwrap(), &[], false);
    let formats = Formats {
        pdf: true,
        epub: false,
    };
    let mut session = Session::new(builder, &content, dir.path(), formats, false);
    let first = session
        .rebuild(Changes::default())
        .expect("the first build");
    let pages = first.pdf.as_ref().map_or(0, |b| b.pages);
    println!(
        "first build: {pages} pages in {:.3} s",
        first.elapsed.as_secs_f64()
    );

    // A paragraph near the middle, and the last one.
    let marker = "\n  - ";
    let middle = (long.len() / 2..)
        .find(|&i| long.is_char_boundary(i))
        .unwrap();
    let in_middle = middle + long[middle..].find(marker).expect("a paragraph") + marker.len();
    // The last paragraph (a plain string item, not a heading or dateline mapping).
    let at_end = long
        .rmatch_indices(marker)
        .map(|(i, _)| i + marker.len())
        .find(|&i| !long[i..].starts_with(|c: char| c.is_ascii_alphabetic()))
        .expect("a paragraph");
    // (name, where, the text inserted by edit i, bytes it replaces)
    type Scenario = (&'static str, usize, fn(usize) -> String, usize);
    let scenarios: [Scenario; 4] = [
        // The floor: the file saved unchanged. Everything typst memoised is reused, yet
        // it still realises the document and exports every page.
        ("nothing changed", 0, |_| String::new(), 0),
        // Same length: a character replaced, as in a typo fix; nothing reflows.
        ("typo fixed mid-document", in_middle, typo, 3),
        // Text inserted: every page after the paragraph is laid out again.
        (
            "text inserted mid-document",
            in_middle,
            |i| format!("修改{i}："),
            0,
        ),
        (
            "text inserted on the last page",
            at_end,
            |i| format!("修改{i}："),
            0,
        ),
    ];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = |mut times: Vec<Duration>| {
        times.sort();
        ms(times[times.len() / 2])
    };
    for (name, at, insert, replaced) in scenarios {
        let (mut totals, mut typeset, mut export) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..edits {
            let edited = format!("{}{}{}", &long[..at], insert(i), &long[at + replaced..]);
            std::fs::write(&content, edited).unwrap();
            let started = Instant::now();
            let rebuilt = session
                .rebuild(Changes {
                    content: true,
                    ..Changes::default()
                })
                .expect("a rebuild");
            totals.push(started.elapsed());
            let pdf = rebuilt.pdf.expect("a PDF");
            assert!(pdf.pages >= pages);
            typeset.push(pdf.timings.typeset);
            export.push(pdf.timings.export);
        }
        let mean = totals.iter().map(|d| ms(*d)).sum::<f64>() / totals.len() as f64;
        let (min, max) = (totals.iter().min().unwrap(), totals.iter().max().unwrap());
        println!(
            "{name}, edit → new PDF, {edits} edits: median {:.0} ms, mean {mean:.0} ms, \
             min {:.0} ms, max {:.0} ms (medians: typeset {:.0} ms, PDF export {:.0} ms)",
            median(totals.clone()),
            ms(*min),
            ms(*max),
            median(typeset),
            median(export),
        );
    }
}
