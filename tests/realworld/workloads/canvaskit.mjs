// CanvasKit (Skia compiled by Emscripten): a scene rasterised with anti-aliased fills and
// strokes, gradients, transforms, clips, path ops, dashes and a PNG it decodes again.
import { createRequire } from 'node:module';
import { digest, report } from './common.mjs';

const pkg = process.argv[2];
const CanvasKitInit = createRequire(import.meta.url)(`${pkg}/bin/canvaskit.js`);
const CK = await CanvasKitInit({ locateFile: (file) => `${pkg}/bin/${file}` });
const round = (values) => Array.from(values, (v) => Math.round(v * 1000) / 1000);

// A star of cubics and lines, and a ring of arcs; their union, intersection and difference.
const star = new CK.PathBuilder();
star.moveTo(128, 20);
for (let i = 1; i <= 10; i++) {
  const angle = (Math.PI * i) / 5 - Math.PI / 2;
  const r = i % 2 ? 40 : 100;
  const [x, y] = [128 + r * Math.cos(angle), 128 + r * Math.sin(angle)];
  if (i % 3) star.lineTo(x, y);
  else star.cubicTo(x - 20, y + 15, x + 15, y - 20, x, y);
}
star.close();
const starPath = star.detach();
const ring = new CK.PathBuilder();
ring.addCircle(150, 110, 60);
ring.arcToOval(CK.LTRBRect(110, 70, 190, 150), 0, 270, true);
ring.arc(128, 128, 30, 0, Math.PI * 1.5, false);
const ringPath = ring.detach();
const union = CK.Path.MakeFromOp(starPath, ringPath, CK.PathOp.Union);
const inter = CK.Path.MakeFromOp(starPath, ringPath, CK.PathOp.Intersect);
const diff = CK.Path.MakeFromOp(starPath, ringPath, CK.PathOp.Difference);
const stroked = diff.makeStroked({ width: 6, join: CK.StrokeJoin.Round, cap: CK.StrokeCap.Round });

const surface = CK.MakeSurface(256, 256);
const canvas = surface.getCanvas();
canvas.clear(CK.Color(250, 248, 240, 1));
const paint = new CK.Paint();
paint.setAntiAlias(true);
const linear = CK.Shader.MakeLinearGradient([0, 0], [256, 256],
  [CK.Color(255, 200, 0, 1), CK.Color(20, 40, 160, 1)], null, CK.TileMode.Clamp);
const radial = CK.Shader.MakeRadialGradient([128, 128], 90,
  [CK.Color(255, 255, 255, 0.9), CK.Color(200, 0, 60, 0.2)], [0, 1], CK.TileMode.Mirror);
paint.setShader(linear);
canvas.drawPath(union, paint);
paint.setShader(radial);
canvas.save();
canvas.clipRRect(CK.RRectXY(CK.LTRBRect(30, 30, 226, 226), 40, 40), CK.ClipOp.Intersect, true);
canvas.rotate(22.5, 128, 128);
canvas.scale(0.9, 1.1);
canvas.drawPath(inter, paint);
canvas.restore();
paint.setShader(null);
const dash = CK.PathEffect.MakeDash([12, 5, 3, 5], 2);
paint.setPathEffect(dash);
paint.setStyle(CK.PaintStyle.Stroke);
paint.setStrokeWidth(3);
paint.setColor(CK.Color(10, 90, 40, 0.8));
canvas.drawPath(diff, paint);
paint.setPathEffect(null);
paint.setStyle(CK.PaintStyle.Fill);
paint.setColor(CK.Color(120, 0, 160, 0.35));
canvas.drawPath(stroked, paint);

// The scene encoded, decoded and drawn back onto itself, smaller and turned.
const snapshot = surface.makeImageSnapshot();
const png = snapshot.encodeToBytes();
const decoded = CK.MakeImageFromEncoded(png);
canvas.save();
canvas.clipPath(starPath, CK.ClipOp.Difference, true);
canvas.translate(160, 160);
canvas.rotate(-15, 0, 0);
canvas.drawImageRectOptions(decoded, CK.LTRBRect(0, 0, 256, 256), CK.LTRBRect(0, 0, 96, 96),
  CK.FilterMode.Linear, CK.MipmapMode.None, null);
canvas.restore();
const pixels = canvas.readPixels(0, 0, {
  width: 256, height: 256, colorType: CK.ColorType.RGBA_8888, alphaType: CK.AlphaType.Unpremul,
  colorSpace: CK.ColorSpace.SRGB,
});
const final = surface.makeImageSnapshot();
const finalPng = final.encodeToBytes();

report({
  bounds: [starPath, ringPath, union, inter, diff, stroked].map((p) => round(p.getBounds())),
  tight: round(stroked.computeTightBounds()),
  points: [union, inter, diff, stroked].map((p) => p.countPoints()),
  contains: [[128, 128], [150, 50], [40, 200]].map(([x, y]) => union.contains(x, y)),
  svg: inter.toSVGString(),
  decoded: [decoded.width(), decoded.height()],
  png: digest(png),
  pixels: digest(pixels),
  final: digest(finalPng),
});
for (const object of [star, ring, starPath, ringPath, union, inter, diff, stroked, linear, radial, dash,
  paint, snapshot, decoded, final, surface]) object.delete();
