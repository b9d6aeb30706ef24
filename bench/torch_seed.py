#!/usr/bin/python3
"""torch_seed.py: PyTorch's side of bench-forward.sh.

Builds the network from `netsketch-cli export --to pytorch` (the same layers
as the model, random weights: timing does not depend on them) and times its
forward pass on the CPU with 2 threads: one warm-up pass, then RUNS passes.

Usage: torch_seed.py CLI MODEL RUNS BATCH...
Prints one line per batch: "torch batch B: X ms" (the median).
"""

import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import torch


def load_model_class(cli, model):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "exported_model.py")
        subprocess.run([cli, "export", "--to", "pytorch", "-o", path, model], check=True)
        spec = importlib.util.spec_from_file_location("exported_model", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module.Model


def input_shape(cli, model):
    """The InputLayer's (H, W, C), from the summary's JSON."""
    summary = json.loads(subprocess.run([cli, "summary", "--format", "json", model],
                                        check=True, capture_output=True, text=True).stdout)
    first = summary["layers"][0]
    if first["type"] != "InputLayer":
        raise SystemExit(f"torch_seed.py: {model}: the first layer is {first['type']}, not an InputLayer")
    return first["output_shape"][1:]


def main():
    if len(sys.argv) < 5:
        raise SystemExit("usage: torch_seed.py CLI MODEL RUNS BATCH...")
    cli, model, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    batches = [int(b) for b in sys.argv[4:]]

    torch.set_num_threads(2)
    torch.manual_seed(0)
    net = load_model_class(cli, model)().eval()
    height, width, channels = input_shape(cli, model)

    with torch.inference_mode():
        for batch in batches:
            x = torch.rand(batch, channels, height, width)
            net(x)
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                net(x)
                times.append((time.perf_counter() - start) * 1000)
            print(f"torch batch {batch}: {statistics.median(times):.3f} ms", flush=True)


if __name__ == "__main__":
    main()
