#!/usr/bin/python3
"""Photo-like 1080p JPEGs for benchmarks/filter/end-to-end.sh (issue 16), from any source photographs:
   make-photos.py OUT_DIR N SRC.jpg [SRC.jpg ...]
Random 16:9 crops of the sources (every other pair mirrored), upscaled to 1920x1080 with cubic
interpolation, Gaussian noise of sigma 3 added (an upscaled photo is unnaturally smooth; sensor noise is
what PNG compression meets in real photos), written at JPEG quality 90. Seeded: the same sources give the
same files. Needs OpenCV's Python binding (Debian: python3-opencv)."""
import os, sys
import cv2
import numpy as np

out, n, srcs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20261201)
images = [cv2.imread(s, cv2.IMREAD_COLOR) for s in srcs]
for i in range(n):
    img = images[i % len(images)]
    h, w = img.shape[:2]
    cw = int(w * rng.uniform(0.6, 1.0)); ch = min(h, cw * 9 // 16); cw = ch * 16 // 9
    x = int(rng.integers(0, w - cw + 1)); y = int(rng.integers(0, h - ch + 1))
    crop = img[y:y + ch, x:x + cw]
    if (i // 2) % 2:
        crop = crop[:, ::-1]
    big = cv2.resize(crop, (1920, 1080), interpolation=cv2.INTER_CUBIC).astype(np.float32)
    big += rng.normal(0, 3, big.shape).astype(np.float32)
    cv2.imwrite(os.path.join(out, f"photo{i:02d}.jpg"), np.clip(big, 0, 255).astype(np.uint8),
                [cv2.IMWRITE_JPEG_QUALITY, 90])
print(f"make-photos: {n} images of 1920x1080 in {out}")
