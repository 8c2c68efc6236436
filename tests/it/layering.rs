//! The modules of `src/` import each other in one direction only: shared utilities at
//! the bottom, then the pipeline stages in order, then the command line on top. A
//! stage that reached up (into `commands`, `error` or a later stage) would tie the
//! pipeline into a knot again; this test names the import that does.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Pipeline stages, lowest first: each may import only those before it.
const STAGES: [&str; 9] = [
    "capture", "verify", "intake", "package", "metadata", "analysis", "render", "kit", "scaffold",
];
/// The top: they wire stages to the command line and may import anything.
const TOP: [&str; 5] = ["cli", "config", "error", "commands", "fuzzing"];

/// Top-level module → the top-level modules it names as `crate::…`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(&src).unwrap();
            let first = relative.components().next().unwrap();
            let module = first.as_os_str().to_str().unwrap().trim_end_matches(".rs");
            if module == "lib" || module == "main" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let used = graph.entry(module.to_owned()).or_default();
            for (at, _) in text.match_indices("crate::") {
                let name: String = text[at + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if name != module && !name.is_empty() {
                    used.insert(name);
                }
            }
        }
    }
    graph
}

#[test]
fn stages_import_only_what_is_below_them() {
    let graph = imports();
    let rank = |m: &str| STAGES.iter().position(|s| *s == m);
    let mut wrong = Vec::new();
    for (module, used) in &graph {
        for target in used {
            let stage_to_top = !TOP.contains(&module.as_str()) && TOP.contains(&target.as_str());
            let upwards = match (rank(module), rank(target)) {
                (Some(from), Some(to)) => to > from,
                // A shared utility must not depend on any stage.
                (None, Some(_)) => !TOP.contains(&module.as_str()),
                _ => false,
            };
            if stage_to_top || upwards {
                wrong.push(format!("{module} imports {target}"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layering: {wrong:?}");
}

#[test]
fn no_module_cycle() {
    let graph = imports();
    // Depth-first search; a grey node met again closes a cycle.
    fn visit<'a>(
        node: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<&'a str, bool>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        match state.get(node) {
            Some(true) => return None,
            Some(false) => {
                let start = path.iter().position(|n| *n == node).unwrap();
                let mut cycle: Vec<String> = path[start..].iter().map(|s| s.to_string()).collect();
                cycle.push(node.to_owned());
                return Some(cycle);
            }
            None => {}
        }
        state.insert(node, false);
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, state, path) {
                return Some(cycle);
            }
        }
        path.pop();
        state.insert(node, true);
        None
    }
    let mut state = BTreeMap::new();
    for module in graph.keys() {
        if let Some(cycle) = visit(module, &graph, &mut state, &mut Vec::new()) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}
