// Draws images/icon.png (128×128): three connected nodes on a shield-blue tile. No image tools needed.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const N = 128;
const px = new Uint8Array(N * N * 4);
const set = (x, y, [r, g, b, a]) => {
  const i = (y * N + x) * 4;
  const al = a / 255;
  px[i] = Math.round(px[i] * (1 - al) + r * al);
  px[i + 1] = Math.round(px[i + 1] * (1 - al) + g * al);
  px[i + 2] = Math.round(px[i + 2] * (1 - al) + b * al);
  px[i + 3] = Math.max(px[i + 3], a);
};
const inRounded = (x, y, r) => {
  const cx = Math.min(Math.max(x, r), N - 1 - r);
  const cy = Math.min(Math.max(y, r), N - 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) if (inRounded(x, y, 22)) set(x, y, [37 + y / 4, 99 + y / 6, 235, 255]);
const nodes = [[40, 44], [90, 40], [64, 92]];
const segDist = (x, y, [ax, ay], [bx, by]) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
};
for (let y = 0; y < N; y++)
  for (let x = 0; x < N; x++) {
    const d = Math.min(segDist(x, y, nodes[0], nodes[1]), segDist(x, y, nodes[1], nodes[2]), segDist(x, y, nodes[0], nodes[2]));
    if (d < 3.5) set(x, y, [255, 255, 255, Math.round(255 * Math.min(1, 3.5 - d))]);
    for (const [nx, ny] of nodes) {
      const r = Math.hypot(x - nx, y - ny);
      if (r < 13) set(x, y, [255, 255, 255, Math.round(255 * Math.min(1, 13 - r))]);
      if (r < 7) set(x, y, [250, 176, 5, Math.round(255 * Math.min(1, 7 - r))]);
    }
  }
const raw = Buffer.alloc((N * 4 + 1) * N);
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0;
  Buffer.from(px.buffer, y * N * 4, N * 4).copy(raw, y * (N * 4 + 1) + 1);
}
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8;
ihdr[9] = 6;
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
writeFileSync(new URL('../images/icon.png', import.meta.url), png);
