//! Every seed committed under `fuzz/regressions/<target>/` (inputs that once broke a
//! parser, and a few that show what each target is about) replayed through the same
//! oracles the fuzzers check, on stable, in `cargo test`.

#[path = "../../fuzz/oracles.rs"]
mod oracles;

use std::path::Path;

#[test]
fn every_committed_seed_passes_its_oracle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for (target, oracle) in oracles::TARGETS {
        let dir = root.join(target);
        let mut seeds: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        seeds.sort();
        assert!(!seeds.is_empty(), "no seeds for {target}");
        for seed in seeds {
            let data = std::fs::read(&seed).unwrap();
            let result = std::panic::catch_unwind(|| oracle(&data));
            assert!(result.is_ok(), "{} fails its oracle", seed.display());
            replayed += 1;
        }
    }
    assert!(replayed >= oracles::TARGETS.len());
}
