//! `paiban schema`: a JSON Schema every sample validates against, and that refuses what
//! the loader refuses where a schema can tell.

mod common;

use std::process::Command;

use common::project_root;
use serde_json::Value;

fn schema() -> Value {
    schema_of(&[])
}

fn schema_of(args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_paiban"))
        .arg("schema")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn as_json(yaml: &str) -> Value {
    serde_yaml::from_str(yaml).unwrap()
}

#[test]
fn every_content_file_validates_and_mistakes_do_not() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(project_root().join("content"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.extend(
        std::fs::read_dir(project_root().join("tests/data/v1"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml")),
    );
    assert!(files.len() >= 6, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // Each file also loads: the schema and the loader agree on the samples.
        paiban::model::load_str(&text, "x.yaml").unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&as_json(&text))
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    }
    for wrong in [
        "title: t\nbody: [a]\nlevle: 2\n",
        "body: [a]\n",
        "title: t\nbody:\n  - {heading: h, level: 9}\n",
        "title: t\nbody:\n  - {heading: h, sidebar: s}\n",
        "title: t\nbody:\n  - [a, {strong: b, emphasis: c}]\n",
        "title: t\nbody:\n  - [a, {link: \"javascript:x\"}]\n",
        "title: t\nbody:\n  - {table: t, rows: []}\n",
        "title: t\nbody:\n  - {list: [a], style: 1., colour: red}\n",
        "title: t\ninline: markdown\nbody: [a]\n",
    ] {
        assert!(
            !validator.is_valid(&as_json(wrong)),
            "the schema takes {wrong:?}"
        );
        assert!(
            paiban::model::load_str(wrong, "x.yaml").is_err(),
            "the loader takes {wrong:?}"
        );
    }
}

#[test]
fn chapter_files_validate_against_the_part_schema() {
    let validator = jsonschema::draft202012::new(&schema_of(&["--part"])).unwrap();
    let mut chapters: Vec<_> = std::fs::read_dir(project_root().join("content/book"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    chapters.sort();
    assert!(chapters.len() >= 5, "{chapters:?}");
    for chapter in chapters {
        let text = std::fs::read_to_string(&chapter).unwrap();
        paiban::model::load_part(&text, "c.yaml", 1, true).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&as_json(&text))
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", chapter.display());
    }
    for good in ["- 甲。\n- include: b.yaml\n", "body:\n  - 甲。\n"] {
        assert!(validator.is_valid(&as_json(good)), "{good:?}");
        assert!(paiban::model::load_part(good, "c.yaml", 1, false).is_ok());
    }
    for wrong in [
        "title: t\nbody: [a]\n",
        "- {include: a.yaml, level: 2}\n",
        "body:\n  - 甲。\nlayout: whitepaper\n",
    ] {
        assert!(
            !validator.is_valid(&as_json(wrong)),
            "the schema takes {wrong:?}"
        );
        assert!(
            paiban::model::load_part(wrong, "c.yaml", 1, false).is_err(),
            "the loader takes {wrong:?}"
        );
    }
}
