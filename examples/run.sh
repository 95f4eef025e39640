#!/usr/bin/env bash
# The main job on the shipped examples: validate every contract spec, evaluate every example case
# and portfolio (summaries here, full result JSON in out/), and explain one penalty in Danish.
set -euo pipefail
cd "$(dirname "$0")/.."
rk=.venv/bin/rulekit
mkdir -p out
$rk validate
for contract in kobenhavn rudersdal hedensted; do
  echo; echo "== $contract"
  $rk evaluate "contracts/$contract.yaml" examples/$contract/*.yaml --format text
  $rk evaluate "contracts/$contract.yaml" examples/$contract/*.yaml --format json > "out/$contract.json"
done
echo; echo "== why: the late-documentation daily penalty over Easter 2021"
$rk explain contracts/kobenhavn.yaml examples/kobenhavn/late-documentation-easter.yaml --rule daily_penalty_documentation
echo; echo "result JSON written to out/"
