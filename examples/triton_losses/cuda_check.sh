#!/usr/bin/env bash
# The Triton example on a GPU, in under 5 minutes: the conformance suite (spec profile) on the device,
# the reference on the same device for comparison, and the benchmark against the reference and
# snnTorch 1.0.0 with its HBM floor. Run from the repository root:
#
#     bash examples/triton_losses/cuda_check.sh            # on a CUDA machine
#     DEVICE=cpu bash examples/triton_losses/cuda_check.sh # dry run here (kernels in Triton's interpreter)
#
# Results go to $OUT (default .conformance/cuda-check): JSON reports and the benchmark table.
# Where the machine cannot install packages, put wheels of what it lacks in .whl/ (jsonschema, snntorch...).
set -uo pipefail
DEVICE=${DEVICE:-cuda}
OUT=${OUT:-.conformance/cuda-check}
PYTHON=${PYTHON:-python3}
mkdir -p "$OUT"
exec > >(tee -a "$OUT/log.txt") 2>&1  # the whole log comes back with the results
export PYTHONUNBUFFERED=1
if [ -d .whl ] && ! $PYTHON -c "import jsonschema, snntorch" 2>/dev/null; then
    $PYTHON -m pip install -q --no-index --no-deps --no-compile --target /tmp/snnloss-site .whl/*.whl || exit 1
    export PYTHONPATH=/tmp/snnloss-site
fi
export PYTHONPATH="$PWD:$PWD/examples/triton_losses${PYTHONPATH:+:$PYTHONPATH}"
SIZES=small,typical,wide,long
if [ "$DEVICE" = cpu ]; then export TRITON_INTERPRET=1 SIZES=small; fi  # the interpreter is slow
SUITE=("$PYTHON" -m pytest -p no:cacheprovider --pyargs conformance -q --device "$DEVICE")
if ! $PYTHON -c "from importlib.metadata import distribution as d; d('snnloss-conformance')" 2>/dev/null; then
    SUITE+=(-p conformance.plugin)  # not installed: load the plugin from the working tree
fi

$PYTHON - <<'PY'
import torch, triton
print("torch", torch.__version__, "triton", triton.__version__,
      "gpu", torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none")
PY
start=$SECONDS
timeout 200 "${SUITE[@]}" --backend triton_losses.backend:backend --report-json "$OUT/triton.$DEVICE.json" \
    2>&1 | tail -12
echo "triton suite on $DEVICE: $((SECONDS - start)) s"
start=$SECONDS
timeout 120 "${SUITE[@]}" --backend reference --report-json "$OUT/reference.$DEVICE.json" 2>&1 | tail -3
echo "reference suite on $DEVICE: $((SECONDS - start)) s"
start=$SECONDS
timeout 120 $PYTHON benchmarks/bench_losses.py --backend triton_losses.backend:backend --device "$DEVICE" --sizes "$SIZES" \
    --seconds "${SECONDS_PER_CELL:-0.2}" --rounds "${ROUNDS:-3}" --markdown "$OUT/bench-triton.$DEVICE.md" 2>&1 | tail -24
echo "benchmark on $DEVICE: $((SECONDS - start)) s"
