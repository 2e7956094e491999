"""Add contradictions between published figures to a snapshot's snapshot.yaml.

`ccmcheck source add` and `ccmcheck figure add` cover sources and figures; no command records that
two published figures contradict each other, so build.sh calls this one step. It merges
contradictions.yaml into SNAPSHOT/snapshot.yaml with ruamel.yaml round-trip (comments and layout
kept), refuses a contradiction naming a figure the snapshot does not hold, and writes the file only
whole. `ccmcheck validate` afterwards checks the result.

usage: python add_contradictions.py SNAPSHOT_DIR CONTRADICTIONS_YAML
"""
import sys
from pathlib import Path

from ruamel.yaml import YAML


def main(snapshot_dir: str, additions_file: str) -> int:
    target = Path(snapshot_dir) / "snapshot.yaml"
    rt = YAML()
    rt.width = 4096
    add = rt.load(Path(additions_file).read_text(encoding="utf-8"))
    doc = rt.load(target.read_text(encoding="utf-8"))
    have = {f["id"] for f in doc.get("published", [])}
    for c in add.get("contradictions", []):
        missing = [fid for fid in c["figures"] if fid not in have]
        if missing:
            print(f"add_contradictions: {additions_file}: figure {missing[0]!r} is not in {target}", file=sys.stderr)
            return 2
    doc.setdefault("contradictions", []).extend(add.get("contradictions", []))
    tmp = target.with_suffix(".yaml.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        rt.dump(doc, fh)
    tmp.replace(target)
    print(f"{target}: {len(add.get('contradictions', []))} contradictions added")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
