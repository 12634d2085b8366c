import { expect } from 'chai';
import { PNG } from 'pngjs';
import { Random } from '../src/random';
import { compactPng, renderPng, labelledScatter, chromiumAvailable, chromiumPath } from '../src/plot';
import { withPlotlyPage } from '../src/plot/browser';
import { requirePiece } from './support/setup-pieces';

function requireChromium(ctx: Mocha.Context): void {
  requirePiece(ctx, 'chromium', chromiumAvailable(), `Chromium is missing at ${chromiumPath()}`);
}

const rng = new Random(11);
const ints = (n: number, k: number): number[] => Array.from({ length: n }, () => rng.int(k));

describe('plot: compactPng', function () {
  this.timeout(120000);

  function pixels(png: Buffer): Buffer {
    return PNG.sync.read(png).data;
  }

  it('keeps every pixel of an opaque and of a translucent image, and drops alpha only when all opaque', () => {
    for (const alpha of [255, 128]) {
      const img = new PNG({ width: 64, height: 48 });
      for (let i = 0; i < img.data.length; i += 4) {
        const p = i / 4, x = p % 64, y = Math.floor(p / 64);
        img.data[i] = (x * 4) & 255; img.data[i + 1] = (y * 5) & 255; img.data[i + 2] = x === y ? 0 : 255;
        img.data[i + 3] = x === 10 && y === 10 ? alpha : 255;
      }
      const src = PNG.sync.write(img, { deflateLevel: 1 });
      const out = compactPng(src);
      expect(out.length).to.be.at.most(src.length);
      expect(pixels(out).equals(pixels(src))).to.equal(true);
      expect(out[25], 'IHDR colour type').to.equal(alpha === 255 ? 2 : 6);
    }
  });

  it('shrinks a Chromium render without changing a pixel', async function () {
    requireChromium(this);
    const fig = labelledScatter(Array.from({ length: 400 }, () => [rng.normal(), rng.normal()]), ints(400, 4), { title: 'compactPng check', width: 500, height: 400 });
    const raw = await withPlotlyPage(async (page) => {
      const url: string = await page.evaluate((json) => (globalThis as any).Plotly.toImage(JSON.parse(json), { format: 'png', width: 500, height: 400 }), JSON.stringify(fig));
      return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
    });
    const out = await renderPng(fig);
    expect(pixels(out).equals(pixels(raw))).to.equal(true);
    expect(out.length).to.be.below(raw.length * 0.85);
  });
});
