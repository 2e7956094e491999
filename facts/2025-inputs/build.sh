#!/usr/bin/env bash
# Rebuild facts/2025 from facts/2017 with the project's own commands (issue 19).
#   bash facts/2025-inputs/build.sh            (from the repository root; uses `ccmcheck` on PATH,
#                                               or CCMCHECK=.venv/bin/ccmcheck)
# Every fact comes from a CSV in this folder, in the columns of `ccmcheck export`; each row cites
# a source key and quotes its source in `note`. facts/2017 is only read.
set -euo pipefail
cd "$(dirname "$0")/../.."
CCMCHECK=${CCMCHECK:-ccmcheck}
PYTHON=${PYTHON:-python3}
IN=facts/2025-inputs
OUT=facts/2025

rm -rf "$OUT"
# 1. Roll forward: every 2017 State file byte for byte, the 2017 sources, no published figures.
"$CCMCHECK" snapshot new "$OUT" --from facts/2017 --as-of 2025-06-30 --period-start 2024-07-01 \
  --title "CCM snapshot as of 30 June 2025 (1 Jul 2024 - 30 Jun 2025), rolled forward from the 7MSP snapshot"

# 2. Sources, published figures and contradictions. NO COMMAND EXISTS for this yet (`source add`,
#    `figure add` are on other branches): this one step merges snapshot-additions.yaml into
#    snapshot.yaml with ruamel.yaml round-trip. Replace it with those commands once merged.
"$PYTHON" "$IN/add_to_snapshot.py" "$OUT" "$IN/snapshot-additions.yaml"

# 3. Facts. Files named *-replace.csv overwrite a 2017 fact (a newer observation, or the same
#    withdrawal day with a better source) and so need --replace: the 2017 observation they
#    supersede is kept only as the `not_done_on` day or in the note. Re-run them with the
#    importer that keeps earlier observations beside later ones once it is merged.
"$CCMCHECK" import "$OUT" "$IN/01-treaty.csv"
"$CCMCHECK" import --replace "$OUT" "$IN/01b-treaty-replace.csv"
"$CCMCHECK" import "$OUT" "$IN/02-initial-reports.csv"
"$CCMCHECK" import --replace "$OUT" "$IN/02b-initial-reports-replace.csv"
"$CCMCHECK" import --replace "$OUT" "$IN/03-article34-replace.csv"
"$CCMCHECK" import "$OUT" "$IN/03b-article34.csv"

# 4. Check the whole snapshot.
"$CCMCHECK" validate "$OUT"
"$CCMCHECK" reconcile "$OUT" >/dev/null
