#!/usr/bin/env bash
# The main job on the shipped examples: validate every contract spec, evaluate every example case
# and portfolio (summaries here, full result JSON in out/), explain one penalty in Danish, list what is
# due, and run the illustrative clause specs' tests.
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
echo; echo "== what is due: open obligation instances across the København examples, soonest first"
$rk due contracts/kobenhavn.yaml examples/kobenhavn/*.yaml
echo; echo "== four clauses from outside the agreements, written from the language alone"
$rk test examples/clauses
echo; echo "== a case report and the København handbook (self-contained HTML)"
$rk report contracts/kobenhavn.yaml examples/kobenhavn/three-demands.yaml -o out/three-demands-report.html
$rk handbook contracts/kobenhavn.yaml -o out/kobenhavn-handbook.html

echo; echo "result JSON written to out/"
