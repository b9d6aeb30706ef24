#!/usr/bin/python3
# test-pytorch.py: runs the PyTorch code `netsketch-cli export --to pytorch`
# writes, with Debian's python3-torch: each layer's trainable parameters (the
# attributes made for it) and the model's output shape for a random NCHW
# input must equal `netsketch-cli summary --format json`. TAP; skips when
# torch is not installed (tools/install-deps installs python3-torch).
import glob
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile

cli = os.environ["NETSKETCH_CLI"]
root = os.environ["NETSKETCH_SOURCE_ROOT"]

try:
    import torch
except ImportError:
    # CI installs python3-torch (tools/install-deps): there a missing torch is a failure.
    if os.environ.get("CI"):
        print("1..1\nnot ok 1 - python3-torch is not installed")
        sys.exit(1)
    print("1..0 # SKIP python3-torch is not installed")
    sys.exit(0)

models = sorted(glob.glob(os.path.join(root, "data", "examples", "*.netsketch")))
models += sorted(f for f in glob.glob(os.path.join(root, "tests", "fixtures", "keras", "*", "keras.json"))
                 if "/grid_" not in f)
print(f"1..{len(models)}")


RESERVED = {"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
            "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
            "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
            "try", "while", "with", "yield", "x", "self", "torch", "nn", "F", "keras", "layers", "model"}


def identifier(name):
    """The attribute name the generator gives a layer (ns_code_identifier)."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", name)
    name = "l_" + name if not name or name[0].isdigit() else name
    return name + "_" if name in RESERVED else name


def check(model_path, work):
    summary = subprocess.run([cli, "summary", "--format", "json", model_path],
                             capture_output=True, text=True)
    if summary.returncode != 0:
        if "cannot read" in summary.stderr:
            return "SKIP the importer cannot read it yet"
        return summary.stderr.strip()
    expected = json.loads(summary.stdout)
    code_path = os.path.join(work, "generated_model.py")
    export = subprocess.run([cli, "export", "--to", "pytorch", "-o", code_path, model_path],
                            capture_output=True, text=True)
    if export.returncode != 0:
        return export.stderr.strip()
    spec = importlib.util.spec_from_file_location("generated_model", code_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    classes = re.findall(r"^class (\w+)\(nn\.Module\):", open(code_path).read(), re.M)
    net = getattr(module, classes[-1])()
    net.eval()

    problems = []
    per_layer = {}
    for name, parameter in net.named_parameters():
        owner = name.split(".")[0]
        owner = re.sub(r"_(depthwise|pointwise|alpha)$", "", owner)
        per_layer[owner] = per_layer.get(owner, 0) + parameter.numel()
    for layer in expected["layers"]:
        got = per_layer.pop(identifier(layer["name"]), 0)
        if got != layer["trainable_params"]:
            problems.append(f"{layer['name']}: {got} parameters, Netsketch {layer['trainable_params']} trainable")
    if per_layer:
        problems.append(f"parameters of no Netsketch layer: {per_layer}")
    total = sum(p.numel() for p in net.parameters())
    if total != expected["trainable_params"]:
        problems.append(f"{total} parameters in all, Netsketch {expected['trainable_params']} trainable")

    inputs = [layer for layer in expected["layers"] if layer["type"] == "InputLayer"]
    if len(inputs) == 1:
        shape = inputs[0]["output_shape"][1:]
        nchw = [2] + ([shape[-1]] + shape[:-1] if len(shape) > 1 else shape)
        with torch.no_grad():
            output = net(torch.rand(*nchw))
        out_layer = expected["layers"][-1]["output_shape"][1:]
        want = [2] + ([out_layer[-1]] + out_layer[:-1] if len(out_layer) > 1 else out_layer)
        if list(output.shape) != want:
            problems.append(f"output shape {list(output.shape)}, Netsketch {want} (NCHW)")
    return "; ".join(problems) if problems else None


failed = False
with tempfile.TemporaryDirectory() as work:
    for n, model_path in enumerate(models, 1):
        label = os.path.relpath(model_path, root)
        try:
            problem = check(model_path, work)
        except Exception as error:  # the generated code itself failed
            problem = f"{type(error).__name__}: {error}"
        if problem is None:
            print(f"ok {n} {label}: PyTorch parameters per layer and output shape")
        elif problem.startswith("SKIP"):
            print(f"ok {n} {label} # {problem}")
        else:
            failed = True
            print(f"not ok {n} {label}")
            print("# " + problem.replace("\n", "\n# "))
sys.exit(1 if failed else 0)
