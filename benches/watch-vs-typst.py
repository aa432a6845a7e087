#!/usr/bin/env python3
"""Benchmark: `paiban watch` against `typst watch` on the same edit, process against
process: the time from saving a file to the new PDF on disk.

The document is the white paper's body repeated 50 times (387 pages). paiban watches
the YAML; typst watches paiban's own emitted markup of it (`paiban typst`), compiled
with the same fonts. Each edit is made to the same paragraph in both files, saved the
way editors save (a new file renamed over the old), and timed until the PDF's
modification time changes: paiban renames a finished PDF into place, typst writes its
PDF in place, so typst's figure stops when its write starts (a few milliseconds in its
favour). The two watchers run one after the other, never at once.

Needs typst 0.15.1 on PATH. Usage: benches/watch-vs-typst.py [EDITS]  (default 8)
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITS = int(sys.argv[1]) if len(sys.argv) > 1 else 8
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/paiban-target"))
# The binary paiban ships (scripts/build-pgo.sh: `dist` with profile-guided optimisation);
# PAIBAN_PROFILE=dist or release for those Cargo profiles.
PROFILE = os.environ.get("PAIBAN_PROFILE", "pgo")
# PAIBAN_BIN=path: a binary built before, to compare.
PAIBAN = Path(os.environ["PAIBAN_BIN"]) if os.environ.get("PAIBAN_BIN") else TARGET / PROFILE / "paiban"
# Characters that never repeat an earlier state, which typst would have memoised.
CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"


def save(path: Path, text: str) -> float:
    """Writes `text` as editors do; the time of the save."""
    temporary = path.with_suffix(".saving")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return time.perf_counter()


def wait_for_change(pdf: Path, since_ns: int, timeout: float = 60.0) -> float:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            if pdf.stat().st_mtime_ns != since_ns:
                return time.perf_counter()
        except FileNotFoundError:
            pass
        time.sleep(0.002)
    raise SystemExit(f"{pdf} did not change within {timeout} s")


def wait_for_file(pdf: Path, timeout: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout
    while not pdf.exists():
        if time.perf_counter() > deadline:
            raise SystemExit(f"no {pdf}")
        time.sleep(0.05)
    time.sleep(1.0)  # let the first build settle


def run(name, command, source: Path, pdf: Path, texts):
    """Starts the watcher, makes each edit, and returns the times to the new PDF."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        wait_for_file(pdf)
        times = []
        for text in texts:
            before = pdf.stat().st_mtime_ns
            saved = save(source, text)
            done = wait_for_change(pdf, before)
            times.append(done - saved)
            time.sleep(0.3)  # the next save must not fall into this build's settling
        return times
    finally:
        process.terminate()
        process.wait()


def main():
    global PAIBAN
    env = {**os.environ, "CARGO_TARGET_DIR": str(TARGET)}
    if os.environ.get("PAIBAN_BIN"):
        pass
    elif PROFILE == "pgo":
        built = subprocess.run(["scripts/build-pgo.sh"], check=True, cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, text=True)
        PAIBAN = Path(built.stdout.strip().splitlines()[-1])
    else:
        subprocess.run(["cargo", "build", "--profile", PROFILE, "--quiet", "--bin", "paiban"],
                       check=True, cwd=ROOT, env=env)
    work = ROOT / "target-bench/watch"
    work.mkdir(parents=True, exist_ok=True)
    for old in work.glob("*"):
        old.unlink()
    whitepaper = (ROOT / "content/whitepaper.yaml").read_text(encoding="utf-8")
    head, body = whitepaper.split("\nbody:\n", 1)
    yaml_text = f"{head}\nbody:\n{body * 50}"
    yaml = work / "long.yaml"
    yaml.write_text(yaml_text, encoding="utf-8")
    subprocess.run([PAIBAN, "typst", yaml, "-o", work / "long.typ"], check=True, cwd=ROOT)
    typ = work / "long.typ"
    typ_text = typ.read_text(encoding="utf-8")

    # A paragraph near the middle of the YAML that the markup holds verbatim.
    lines = yaml_text.split("\n")
    paragraph = None
    for line in lines[len(lines) // 2:]:
        if line.startswith("  - ") and not line[4:5].isascii() and len(line) > 60:
            candidate = line[4:]
            if typ_text.count(candidate[:40]) >= 1:
                paragraph = candidate
                break
    if paragraph is None:
        raise SystemExit("no paragraph found")
    anchor = paragraph[:40]
    yaml_at = yaml_text.index(anchor, len(yaml_text) // 2 - len(anchor))
    typ_positions = [i for i in range(len(typ_text)) if typ_text.startswith(anchor, i)]
    typ_at = min(typ_positions, key=lambda i: abs(i - len(typ_text) // 2))

    def edited(text, at, kind, i):
        c = CHARS[i % len(CHARS)]
        spot = at + 10
        if kind == "typo fixed mid-document":
            return text[:spot] + c + text[spot + 1:]
        return text[:spot] + c * 12 + text[spot:]

    print(f"{len(yaml_text) / 1e6:.1f} MB of YAML; {EDITS} edits of each kind")
    for kind in ["typo fixed mid-document", "text inserted mid-document"]:
        yaml_texts = [edited(yaml_text, yaml_at, kind, i) for i in range(EDITS)]
        typ_texts = [edited(typ_text, typ_at, kind, i) for i in range(EDITS)]
        yaml.write_text(yaml_text, encoding="utf-8")
        typ.write_text(typ_text, encoding="utf-8")
        paiban = run("paiban", [PAIBAN, "watch", yaml, "-o", work],
                     yaml, work / "long.pdf", yaml_texts)
        typst = run("typst", ["typst", "watch", "--root", ".", "--font-path", "fonts",
                              "--ignore-system-fonts", typ, work / "typst.pdf"],
                    typ, work / "typst.pdf", typ_texts)
        pm, tm = statistics.median(paiban), statistics.median(typst)
        print(f"{kind}: paiban median {pm:.3f} s (min {min(paiban):.3f}, max {max(paiban):.3f}); "
              f"typst median {tm:.3f} s (min {min(typst):.3f}, max {max(typst):.3f}); "
              f"ratio {pm / tm:.2f}")


if __name__ == "__main__":
    main()
