// resvg-wasm (Rust, wasm-bindgen): SVG documents parsed, laid out and rasterised to PNG
// (paths, gradients, transforms, opacity, filters), and the bounding boxes it computes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { digest, report } from './common.mjs';

const pkg = process.argv[2];
const { initWasm, Resvg } = createRequire(import.meta.url)(`${pkg}/index.js`);
await initWasm(readFileSync(`${pkg}/index_bg.wasm`));
const drawings = {
  shapes: `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="120" viewBox="0 0 160 120">
    <rect x="10" y="10" width="60" height="40" rx="8" fill="#3a7" stroke="#123" stroke-width="3"/>
    <circle cx="110" cy="40" r="28" fill="none" stroke="#c33" stroke-width="6" stroke-dasharray="8 4"/>
    <path d="M10 110 C 40 60, 80 140, 150 80 S 120 20, 90 100 Z" fill="#46c" fill-opacity="0.6"/>
    <polyline points="5,5 40,20 60,5 90,25" fill="none" stroke="black" stroke-linejoin="round"/></svg>`,
  gradients: `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="gold"/>
    <stop offset="1" stop-color="navy"/></linearGradient>
    <radialGradient id="r"><stop offset="0" stop-color="white"/><stop offset="1" stop-color="red" stop-opacity="0"/></radialGradient></defs>
    <rect width="128" height="128" fill="url(#g)"/><circle cx="64" cy="64" r="50" fill="url(#r)"/>
    <g transform="rotate(30 64 64) scale(0.8)" opacity="0.7"><rect x="30" y="30" width="60" height="60" fill="#0c8"/></g></svg>`,
  filters: `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">
    <defs><filter id="b"><feGaussianBlur stdDeviation="3"/></filter>
    <clipPath id="c"><circle cx="50" cy="50" r="35"/></clipPath></defs>
    <g clip-path="url(#c)"><rect width="100" height="100" fill="#f80" filter="url(#b)"/>
    <path d="M0 0 L100 100 M100 0 L0 100" stroke="#000" stroke-width="5"/></g></svg>`,
};
const results = {};
for (const [name, svg] of Object.entries(drawings)) {
  for (const width of [0, 333]) {
    const resvg = new Resvg(svg, width ? { fitTo: { mode: 'width', value: width } } : {});
    const box = resvg.getBBox();
    const image = resvg.render();
    results[`${name}-${width}`] = {
      size: [image.width, image.height],
      bbox: box && [box.x, box.y, box.width, box.height].map((v) => Math.round(v * 1000) / 1000),
      png: digest(image.asPng()),
    };
    image.free();
    resvg.free();
  }
}
report(results);
