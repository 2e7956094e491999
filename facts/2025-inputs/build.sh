#!/usr/bin/env bash
# Rebuild facts/2025 from facts/2017 with the project's own commands (issue 19).
#   bash facts/2025-inputs/build.sh            (from the repository root; uses `ccmcheck` on PATH,
#                                               or CCMCHECK=.venv/bin/ccmcheck)
# Every fact comes from a CSV in this folder; each row cites a source key and quotes its source in
# `note`. facts/2017 is only read. Every import ADDS an observation beside the 2017 one (issue 16):
# nothing here uses --replace, so every 2017 observation is kept with its source.
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

# 2. Sources and published figures (each figure at its own as_of, the date it describes).
"$CCMCHECK" source add "$OUT" --from "$IN/00-sources.csv"
"$CCMCHECK" source add "$OUT" --from "$IN/00b-sources-decisions.csv"
"$CCMCHECK" source add "$OUT" --from "$IN/00c-sources-annual.csv"
"$CCMCHECK" figure add "$OUT" --from "$IN/00-figures.csv"
# 2b. Figures that contradict each other. NO COMMAND EXISTS for this: this one step merges
#     contradictions.yaml into snapshot.yaml with ruamel.yaml round-trip.
"$PYTHON" "$IN/add_contradictions.py" "$OUT" "$IN/contradictions.yaml"

# 3. Facts: each file is a plain import, so a later observation goes in beside the 2017 one.
#    The one --replace: Lithuania's withdrawal, the SAME day facts/2017 holds (2025-03-06), now cited
#    to the 13MSP Presidency instead of legal#Art. 20 (a correction of the same observation; the
#    row's note says what facts/2017 had).
"$CCMCHECK" import --replace "$OUT" "$IN/01b-treaty-same-day-better-source.csv"
for csv in 01-treaty 02-initial-reports 02b-initial-reports-later 02d-annual-reports \
           03-article34-later 03b-article34 03c-extensions-decisions; do
  "$CCMCHECK" import "$OUT" "$IN/$csv.csv"
done

# 4. Check the whole snapshot (conflicting observations are listed, see docs/2025-snapshot.md).
"$CCMCHECK" validate "$OUT"
"$CCMCHECK" reconcile "$OUT" >/dev/null
