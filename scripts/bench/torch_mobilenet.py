"""PyTorch side of the frame-encoder benchmark: the same MobileNetV2 weights and input shape as
`SequoiaBench encoder`, timed to the last feature map, eager and torch.compile, best of the runs.

    python torch_mobilenet.py --weights DIR --batch B --size S [--threads 2]

Prints one JSON line per mode: frames_per_s, seconds, mode.
"""
import argparse
import json
import time

import torch
import torch.nn as nn
from safetensors.torch import load_file


def conv_bn(cin, cout, k, stride, groups=1, act=True):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    if act:
        layers.append(nn.ReLU6(inplace=True))
    return nn.Sequential(*layers)


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, t):
        super().__init__()
        hidden = cin * t
        layers = [] if t == 1 else list(conv_bn(cin, hidden, 1, 1))
        layers += list(conv_bn(hidden, hidden, 3, stride, groups=hidden)) + list(conv_bn(hidden, cout, 1, 1, act=False))
        self.conv = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        return x + self.conv(x) if self.residual else self.conv(x)


class MobileNetV2(nn.Module):
    def __init__(self, settings, last):
        super().__init__()
        features = [conv_bn(3, 32, 3, 2)]
        cin = 32
        for t, c, n, s in settings:
            for i in range(n):
                features.append(InvertedResidual(cin, c, s if i == 0 else 1, t))
                cin = c
        features.append(conv_bn(cin, last, 1, 1))
        self.features = nn.Sequential(*features)

    def forward(self, x):
        return self.features(x)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--weights", required=True)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--min-seconds", type=float, default=2.0)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    config = json.load(open(f"{args.weights}/config.json"))
    model = MobileNetV2(config["inverted_residual_setting"], config["last_channel"]).eval()
    missing, unexpected = model.load_state_dict(load_file(f"{args.weights}/model.safetensors"), strict=False)
    assert not unexpected and all(k.endswith("num_batches_tracked") for k in missing), (missing, unexpected)
    x = torch.randn(args.batch, 3, args.size, args.size)
    modes = [("eager", model)]
    try:
        modes.append(("compiled", torch.compile(model)))
    except Exception as error:  # noqa: BLE001 - a missing compiler backend only drops that mode
        print(json.dumps({"mode": "compiled", "error": str(error)}))
    for name, net in modes:
        with torch.inference_mode():
            for _ in range(3):
                net(x)
            best, total, runs = float("inf"), 0.0, 0
            while runs < 3 or total < args.min_seconds:
                t0 = time.perf_counter()
                net(x)
                dt = time.perf_counter() - t0
                best, total, runs = min(best, dt), total + dt, runs + 1
        print(json.dumps({"mode": name, "frames_per_s": args.batch / best, "seconds": best, "batch": args.batch, "size": args.size}))


if __name__ == "__main__":
    main()
