"""Add sources, published figures and contradictions to a snapshot's snapshot.yaml.

No ccmcheck command does this yet (issue 19: `source add`, `figure add` are being written on
other branches); until then build.sh calls this one step. It merges snapshot-additions.yaml
into SNAPSHOT/snapshot.yaml with ruamel.yaml round-trip, so the rolled-forward file keeps its
comments and layout, refuses a source key or figure id that is already there, and writes the
file only whole. `ccmcheck validate` afterwards checks the result.

usage: python add_to_snapshot.py SNAPSHOT_DIR ADDITIONS_YAML
"""
import sys
from pathlib import Path

import yaml
from ruamel.yaml import YAML


def main(snapshot_dir: str, additions_file: str) -> int:
    target = Path(snapshot_dir) / "snapshot.yaml"
    add = yaml.safe_load(Path(additions_file).read_text(encoding="utf-8"))
    rt = YAML()
    rt.width = 4096
    doc = rt.load(target.read_text(encoding="utf-8"))
    sources = doc["sources"]
    for key, src in add.get("sources", {}).items():
        if key in sources:
            print(f"add_to_snapshot: {additions_file}: source {key!r} is already in {target}", file=sys.stderr)
            return 2
        sources[key] = src
    published = doc.setdefault("published", [])
    have = {f["id"] for f in published}
    for fig in add.get("published", []):
        if fig["id"] in have:
            print(f"add_to_snapshot: {additions_file}: figure {fig['id']!r} is already in {target}", file=sys.stderr)
            return 2
        published.append(fig)
    doc.setdefault("contradictions", []).extend(add.get("contradictions", []))
    tmp = target.with_suffix(".yaml.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        rt.dump(doc, fh)
    tmp.replace(target)
    print(f"{target}: {len(add.get('sources', {}))} sources, {len(add.get('published', []))} figures, "
          f"{len(add.get('contradictions', []))} contradictions added")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
