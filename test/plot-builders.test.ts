import { expect } from 'chai';
import {
  labelledScatter, kmeansCircles, gmmEllipses, softAssignments, densityContours, criterionCurves, emAnimation,
  imageGrid, latentScatter, manifoldGrid, latentGrid, trainingCurves, reconstructionPairs,
  fullCovariances, principalAxes, ellipseOutline, mixtureLogDensity, gmm2d, toPlotlyJson, Figure, Trace,
} from '../src/plot';

type Obj = Record<string, any>;
const traces = (fig: Figure, type?: string): Obj[] => fig.data.filter((t: Trace) => type === undefined || t.type === type) as Obj[];

/** A Gaussian log-density written out independently of the library. */
function logNormal2(x: number, y: number, m: number[], c: number[][]): number {
  const det = c[0][0] * c[1][1] - c[0][1] * c[1][0];
  const dx = x - m[0], dy = y - m[1];
  const q = (c[1][1] * dx * dx - 2 * c[0][1] * dx * dy + c[0][0] * dy * dy) / det;
  return -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * q;
}

describe('plot: covariance helpers', () => {
  it('expands tied, diag and spherical covariances to full K×2×2 (sklearn shapes)', () => {
    expect(fullCovariances([[2, 0.5], [0.5, 1]], 'tied', 3, 2)).to.deep.equal([
      [[2, 0.5], [0.5, 1]], [[2, 0.5], [0.5, 1]], [[2, 0.5], [0.5, 1]],
    ]);
    expect(fullCovariances([[1, 2], [3, 4], [5, 6]], 'diag', 3, 2)).to.deep.equal([
      [[1, 0], [0, 2]], [[3, 0], [0, 4]], [[5, 0], [0, 6]],
    ]);
    expect(fullCovariances([0.5, 2], 'spherical', 2, 2)).to.deep.equal([[[0.5, 0], [0, 0.5]], [[2, 0], [0, 2]]]);
    // Shapes alone decide when they can: K×d×d → full, K → spherical, K×d with K ≠ d → diag.
    expect(gmm2d({ weights: [0.5, 0.3, 0.2], means: [[0, 0], [1, 1], [2, 2]], covariances: [[1, 2], [3, 4], [5, 6]] }).covariances[2])
      .to.deep.equal([[5, 0], [0, 6]]);
    expect(gmm2d({ weights: [1], means: [[0, 0]], covariances: [3] }).covariances[0]).to.deep.equal([[3, 0], [0, 3]]);
  });

  it('refuses ambiguous or wrong shapes with messages that say what to pass', () => {
    const p = { weights: [0.5, 0.5], means: [[0, 0], [1, 1]], covariances: [[1, 0], [0, 1]] };
    expect(() => gmm2d(p)).to.throw(/'tied' or 'diag'; pass covarianceType/);
    expect(gmm2d({ ...p, covarianceType: 'tied' }).covariances[1]).to.deep.equal([[1, 0], [0, 1]]);
    expect(() => fullCovariances([[[1, 0], [0, 1]]], 'full', 2, 2)).to.throw(/2 entries/);
    expect(() => gmm2d({ weights: [1], means: [[0, 0, 0]], covariances: [1] })).to.throw(/2-D mixtures only/);
    expect(() => gmm2d({ weights: [1], means: [[0, 0]], covariances: [[[1, 2], [2, 1]]] })).to.throw(/not positive definite/);
    expect(() => gmm2d({ weights: [1, 0], means: [[0, 0]], covariances: [1, 1] })).to.throw(/means has 1 rows but there are 2 weights/);
  });

  it('finds the principal axes of a rotated covariance', () => {
    // Rotate diag(9, 1) by 30°: the axes must come back as sd 3 and 1 at 30°.
    const t = Math.PI / 6, c = Math.cos(t), s = Math.sin(t);
    const cov: [[number, number], [number, number]] = [
      [9 * c * c + s * s, (9 - 1) * c * s],
      [(9 - 1) * c * s, 9 * s * s + c * c],
    ];
    const ax = principalAxes(cov);
    expect(ax.sd1).to.be.closeTo(3, 1e-12);
    expect(ax.sd2).to.be.closeTo(1, 1e-12);
    expect(ax.angle).to.be.closeTo(t, 1e-12);
    // Every outline point of the 2σ ellipse has Mahalanobis distance 2.
    const { x, y } = ellipseOutline([1, -2], cov, 2, 40);
    const det = cov[0][0] * cov[1][1] - cov[0][1] ** 2;
    x.forEach((xi, i) => {
      const dx = xi - 1, dy = y[i] + 2;
      const m2 = (cov[1][1] * dx * dx - 2 * cov[0][1] * dx * dy + cov[0][0] * dy * dy) / det;
      expect(Math.sqrt(m2)).to.be.closeTo(2, 1e-9);
    });
    expect([x[0], y[0]]).to.deep.equal([x[40], y[40]]); // closed
  });

  it('computes the mixture log-density with log-sum-exp, finite far in the tails', () => {
    const p = { weights: [0.3, 0.7], means: [[0, 0], [3, 1]], covariances: [[[1, 0.2], [0.2, 0.5]], [[2, -0.3], [-0.3, 1]]] };
    const f = mixtureLogDensity(gmm2d(p));
    for (const [x, y] of [[0, 0], [1.5, 0.3], [-2, 4]]) {
      const direct = Math.log(0.3 * Math.exp(logNormal2(x, y, p.means[0], p.covariances[0])) + 0.7 * Math.exp(logNormal2(x, y, p.means[1], p.covariances[1])));
      expect(f(x, y)).to.be.closeTo(direct, 1e-10);
    }
    expect(f(1e3, -1e3)).to.be.lessThan(-1e5).and.to.satisfy(Number.isFinite);
  });
});

describe('plot: clustering figures', () => {
  const pts = [[0, 0], [1, 0], [0, 1], [10, 10], [12, 10], [10, 13]];

  it('labelledScatter makes one trace per label with the right points, equal axes', () => {
    const fig = labelledScatter(pts, [1, 1, 1, 0, 0, 0], { title: 'blobs' });
    const ts = traces(fig);
    expect(ts.map((t) => t.name)).to.deep.equal(['cluster 0', 'cluster 1']);
    expect(ts[0].x).to.deep.equal([10, 12, 10]);
    expect(ts[1].y).to.deep.equal([0, 0, 1]);
    expect(ts[0].marker.color).to.not.equal(ts[1].marker.color);
    expect(fig.layout.yaxis).to.include({ scaleanchor: 'x', scaleratio: 1 });
    expect((fig.layout.title as Obj).text).to.equal('blobs');
    // Flat Float32Array input (tfjs dataSync) is read as x, y pairs.
    expect(traces(labelledScatter(new Float32Array([1, 2, 3, 4])))[0].y).to.deep.equal([2, 4]);
    expect(() => labelledScatter(pts, [0, 1])).to.throw(/labels has 2 entries but there are 6 points/);
    expect(() => labelledScatter([[1, 2, 3]])).to.throw(/2 columns/);
    expect(() => labelledScatter(pts, [0, 0, 0, 1, 1, 0.5])).to.throw(/labels\[5\] must be an integer/);
  });

  it('kmeansCircles draws each circle through the farthest assigned point', () => {
    const fig = kmeansCircles(pts, [[0, 0], [10, 10]]);
    const circles = traces(fig).filter((t) => t.mode === 'lines');
    expect(circles).to.have.length(2);
    const radius = (t: Obj, cx: number, cy: number): number[] => t.x.map((x: number, i: number) => Math.hypot(x - cx, t.y[i] - cy));
    // Coordinates are rounded for plotting to 1/10⁴ of the circle's span (see plotRound).
    radius(circles[0], 0, 0).forEach((r) => expect(r).to.be.closeTo(1, 2e-4));
    radius(circles[1], 10, 10).forEach((r) => expect(r).to.be.closeTo(3, 6e-4));
    const given = traces(kmeansCircles(pts, [[0, 0], [10, 10]], { radius: [0.5, 2] })).filter((t) => t.mode === 'lines');
    expect(Math.hypot(given[1].x[0] - 10, given[1].y[0] - 10)).to.be.closeTo(2, 4e-4);
    expect(() => kmeansCircles(pts, [[0, 0]], { labels: [0, 0, 0, 1, 1, 1] })).to.throw(/labels\[3\] = 1 is not a centre index/);
  });

  it('gmmEllipses draws 1/2/3σ per component, heavier components more opaque', () => {
    const params = { weights: [0.8, 0.2], means: [[0, 0], [10, 10]], covariances: [[4, 1], [1, 1]], covarianceType: 'diag' as const };
    const fig = gmmEllipses(pts, params);
    const ell = traces(fig).filter((t) => t.fill === 'toself');
    expect(ell).to.have.length(6);
    // Outlines are separate traces drawn after the points (Plotly puts filled traces beneath everything).
    const outlines = traces(fig).filter((t) => t.mode === 'lines' && t.fill === undefined);
    expect(outlines.map((t) => t.x)).to.deep.equal(ell.map((t) => t.x));
    expect(traces(fig).indexOf(outlines[0])).to.be.greaterThan(traces(fig).findIndex((t) => t.mode === 'markers'));
    // Component 0, 1σ: diag(4, 1) → half-axes 2 along x, 1 along y.
    const xs: number[] = ell[0].x, ys: number[] = ell[0].y;
    expect(Math.max(...xs)).to.be.closeTo(2, 1e-3);
    expect(Math.max(...ys)).to.be.closeTo(1, 1e-3);
    expect(Math.max(...ell[2].x)).to.be.closeTo(6, 1e-3); // 3σ
    const alpha = (rgba: string): number => Number(rgba.slice(rgba.lastIndexOf(',') + 1, -1));
    expect(alpha(ell[0].fillcolor)).to.be.greaterThan(alpha(ell[3].fillcolor));
    // Points are coloured by their most probable component when no labels are given.
    const scatter = traces(fig).filter((t) => t.mode === 'markers' && t.name !== 'means');
    expect(scatter.map((t) => t.x.length)).to.deep.equal([3, 3]);
    const means = traces(fig).find((t) => t.name === 'means')!;
    expect(means.x).to.deep.equal([0, 10]);
  });

  it('softAssignments colours by argmax and fades uncertain points', () => {
    const p = [[0.9, 0.1], [0.5, 0.5], [0.2, 0.8], [1, 0], [0, 1], [0.6, 0.4]];
    const fig = softAssignments(pts, p);
    const [c0, c1] = traces(fig);
    expect(c0.x).to.deep.equal([0, 1, 10, 10]); // argmax 0 (the 50/50 tie goes to the first)
    expect(c1.x).to.deep.equal([0, 12]);
    expect(c0.marker.opacity[3]).to.be.lessThan(c0.marker.opacity[0]); // 0.6 < 0.9
    expect(c0.marker.opacity[2]).to.equal(1); // certain
    expect(c0.marker.opacity[1]).to.be.lessThan(0.1); // 50/50
    const bySize = traces(softAssignments(pts, p, { encoding: 'size' }))[0];
    expect(bySize.marker.size[0]).to.be.greaterThan(bySize.marker.size[1]);
    expect(() => softAssignments(pts, p.map((r) => r.map((v) => Math.log(0.5 * v + 0.25))))).to.throw(/outside \[0, 1\]/);
    expect(() => softAssignments(pts, p.map(([a]) => [a, a]))).to.throw(/sums to/);
  });

  it('densityContours evaluates the mixture on its own grid and clamps the tails', () => {
    const params = { weights: [1], means: [[1, 2]], covariances: [[[1, 0.3], [0.3, 2]]] };
    const fig = densityContours(params, { gridSize: 21, xRange: [-3, 5], yRange: [-2, 6], depth: 8 });
    const c = traces(fig, 'contour')[0];
    expect(c.x).to.have.length(21);
    expect(c.z).to.have.length(21);
    // z[row][col] is at (x[col], y[row]).
    const [i, j] = [10, 10];
    expect(c.z[i][j]).to.be.closeTo(logNormal2(c.x[j], c.y[i], [1, 2], params.covariances[0]), 1e-3);
    const peak = Math.max(...c.z.flat());
    expect(Math.min(...c.z.flat())).to.be.closeTo(peak - 8, 1e-3);
    // A log-density function works too; it needs a range.
    const f = densityContours((x, y) => -(x * x + y * y), { xRange: [-1, 1], yRange: [-1, 1], gridSize: 3 });
    expect(traces(f, 'contour')[0].z[1][1]).to.equal(0);
    expect(() => densityContours((x, y) => x + y)).to.throw(/needs xRange and yRange/);
  });

  it('criterionCurves marks each curve at its minimum', () => {
    const fig = criterionCurves([1, 2, 3, 4], { full: [10, 5, 7, 8], tied: [9, 8, 6, 6.5] });
    const stars = traces(fig).filter((t) => t.marker?.symbol === 'star');
    expect(stars.map((s) => [s.x[0], s.y[0]])).to.deep.equal([[2, 5], [3, 6]]);
    expect(() => criterionCurves([1, 2], { bic: [1] })).to.throw(/curves.bic has 1 entries; expected 2/);
  });

  it('emAnimation has one frame per step with the same traces, slider and play button', () => {
    const history = [0, 1, 2].map((t) => ({
      weights: [0.5, 0.5], means: [[t, 0], [5, 5]], covariances: [1, 2], lowerBound: -3 + t,
    }));
    const fig = emAnimation(pts, history);
    expect(fig.frames).to.have.length(3);
    const n = fig.data.length;
    expect(n).to.equal(1 + 2 * (2 * 2) + 1); // points, fills and outlines of 2 components × 2σ levels, means
    fig.frames!.forEach((f, t) => {
      expect(f.data).to.have.length(n);
      expect(f.traces).to.deep.equal([...Array(n).keys()]);
      expect((f.data[n - 1] as Obj).x[0]).to.equal(t); // the means move
    });
    const layout = fig.layout as Obj;
    expect(layout.sliders[0].steps.map((s: Obj) => s.args[0][0])).to.deep.equal(['0', '1', '2']);
    expect(layout.sliders[0].active).to.equal(2); // static picture = final fit
    expect(layout.updatemenus[0].buttons[0].args[0]).to.equal(null); // play all frames
    // Frames redraw, or their annotations (the lower bound) would stay at the first picture's.
    expect(layout.updatemenus[0].buttons[0].args[1].frame.redraw).to.equal(true);
    expect(layout.sliders[0].steps.every((s: Obj) => s.args[1].frame.redraw === true)).to.equal(true);
    expect(fig.data.slice(1)).to.deep.equal(fig.frames![2].data.slice(1));
    // Points are stored once: frames only recolour them.
    expect((fig.data[0] as Obj).x).to.deep.equal(pts.map((p) => p[0]));
    expect(fig.frames!.every((f) => (f.data[0] as Obj).x === undefined && (f.data[0] as Obj).marker.color.length === pts.length)).to.equal(true);
    expect(layout.annotations[0].text).to.contain('-1.0000');
    const many = emAnimation(pts, Array.from({ length: 100 }, () => history[0]), { maxFrames: 10 });
    expect(many.frames!.map((f) => f.name)).to.deep.equal(['0', '11', '22', '33', '44', '55', '66', '77', '88', '99']);
    expect(() => emAnimation(pts, [history[0], { ...history[0], weights: [1], means: [[0, 0]], covariances: [1] }])).to.throw(/same K/);
    // States as GaussianMixture.fitSteps yields them: `iter`, -Infinity before the first E-step, K = d diag needs the type.
    const states = [0, 1].map((iter) => ({ iter, lowerBound: iter === 0 ? -Infinity : -2.5, weights: [0.5, 0.5], means: [[0, 0], [9, 9]], covariances: [[1, 4], [2, 2]] }));
    expect(() => emAnimation(pts, states)).to.throw(/pass covarianceType/);
    const fromSteps = emAnimation(pts, states, { covarianceType: 'diag', initial: 'first' });
    expect(fromSteps.frames!.map((f) => (f.layout as Obj).annotations[0].text)).to.deep.equal(['initial parameters', 'lower bound -2.5000']);
    expect(Math.max(...(fromSteps.data[1] as Obj).y)).to.be.closeTo(2, 1e-3); // 1σ of variance 4 along y
  });
});

describe('plot: image and VAE figures', () => {
  // Image k is filled with the value k/10 except pixel (r, c) = (1, 2), which is 1.
  const imgs = (count: number, h: number, w: number): Float32Array => {
    const a = new Float32Array(count * h * w);
    for (let k = 0; k < count; k++) for (let p = 0; p < h * w; p++) a[k * h * w + p] = p === 1 * w + 2 ? 1 : k / 10;
    return a;
  };

  it('imageGrid pastes images row by row with blank gaps, y reversed, no axes', () => {
    const fig = imageGrid(imgs(5, 3, 4), { imageShape: [3, 4], columns: 3, gap: 1 });
    const z: (number | null)[][] = traces(fig, 'heatmap')[0].z;
    expect(z).to.have.length(2 * 3 + 1);
    expect(z[0]).to.have.length(3 * 4 + 2);
    expect(z[0][0]).to.equal(0); // image 0
    expect(z[0][4]).to.equal(null); // gap column
    expect(z[0][5]).to.be.closeTo(0.1, 1e-6); // image 1
    expect(z[1][5 + 2]).to.equal(1); // its marked pixel at (1, 2)
    expect(z[3][0]).to.equal(null); // gap row
    expect(z[4][5]).to.be.closeTo(0.4, 1e-6); // image 4 = row 1, column 1
    expect(z[4][10]).to.equal(null); // empty sixth cell
    const layout = fig.layout as Obj;
    expect(layout.yaxis.range[0]).to.be.greaterThan(layout.yaxis.range[1]); // reversed
    expect(layout.xaxis.visible).to.equal(false);
    // An ImageSet ({ images, width, height }) brings its own shape.
    const set = { images: imgs(2, 3, 4), width: 4, height: 3, count: 2 };
    expect(traces(imageGrid(set, { gap: 0 }), 'heatmap')[0].z[1][4 + 2]).to.equal(1);
    expect(() => imageGrid(new Float32Array(100))).to.throw(/not a multiple of height×width = 28×28/);
    expect(() => imageGrid([[1, 2, 3]])).to.throw(/not a square image/);
    expect(() => imageGrid([new Array(4).fill(0), new Array(5).fill(0)])).to.throw(/images\[1\] has 5 pixels/);
  });

  it('reconstructionPairs puts each reconstruction under its original', () => {
    const a = imgs(3, 2, 2), b = imgs(3, 2, 2).map((v) => 1 - v);
    const fig = reconstructionPairs(a, b, { imageShape: [2, 2], gap: 1 });
    const z = traces(fig, 'heatmap')[0].z;
    expect(z[0][3]).to.be.closeTo(0.1, 1e-6); // original 1, top row
    expect(z[3][3]).to.be.closeTo(0.9, 1e-6); // reconstruction 1, right below
    expect((fig.layout as Obj).yaxis.ticktext).to.deep.equal(['original', 'reconstruction']);
    expect(() => reconstructionPairs(a, imgs(2, 2, 2), { imageShape: [2, 2] })).to.throw(/3 images but reconstructions has 2/);
  });

  it('latentGrid and manifoldGrid agree on order: top row is the largest z₂', () => {
    const g = latentGrid(3, [-1, 1]);
    expect(g.points).to.deep.equal([[-1, 1], [0, 1], [1, 1], [-1, 0], [0, 0], [1, 0], [-1, -1], [0, -1], [1, -1]]);
    // Decode = brightness (z₁ + 1) / 2 everywhere, so each cell shows its own z₁.
    const images = g.points.map(([z1]) => new Array(4).fill((z1 + 1) / 2));
    const fig = manifoldGrid(images, { grid: g });
    const z = traces(fig, 'heatmap')[0].z;
    expect(z[0].slice(0, 6)).to.deep.equal([0, 0, 0.5, 0.5, 1, 1]); // gap 0 by default
    const layout = fig.layout as Obj;
    expect(layout.yaxis.ticktext).to.deep.equal(['1', '0', '-1']);
    expect(layout.xaxis.ticktext).to.deep.equal(['-1', '0', '1']);
    expect(() => manifoldGrid(images.slice(0, 8))).to.throw(/not a square number/);
  });

  it('latentScatter uses WebGL, one legend entry per digit', () => {
    const z = Array.from({ length: 30 }, (_, i) => [i, -i]);
    const fig = latentScatter(z, z.map((_, i) => i % 10));
    expect(traces(fig).map((t) => t.type)).to.deep.equal(new Array(10).fill('scattergl'));
    expect(traces(fig).map((t) => t.name)).to.deep.equal(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(traces(fig)[3].x).to.deep.equal([3, 13, 23]);
  });

  it('trainingCurves pairs train and validation per panel, from columns or rows', () => {
    const cols = trainingCurves({ loss: [3, 2, 1], valLoss: [4, 3, 2.5], kl: [0.1, 0.2, 0.3] });
    const ts = traces(cols);
    expect(ts.map((t) => [t.name, t.xaxis])).to.deep.equal([['train', 'x'], ['validation', 'x'], ['train', 'x2']]);
    expect(ts[1].y).to.deep.equal([4, 3, 2.5]);
    expect(ts[0].x).to.deep.equal([1, 2, 3]);
    const rows = trainingCurves([{ epoch: 5, loss: 3, val_loss: 4 }, { epoch: 6, loss: 2 }]);
    const rt = traces(rows);
    expect(rt[0].x).to.deep.equal([5, 6]);
    expect(rt[1].y).to.deep.equal([4]); // validation not computed yet for the last epoch
    // A VAEHistory also has learningRate and seconds: bookkeeping, not panels.
    const vae = trainingCurves({ loss: [3, 2], reconstruction: [2.5, 1.8], kl: [0.5, 0.2], learningRate: [1e-3, 1e-3], seconds: [4, 4] });
    expect([...new Set(traces(vae).map((t) => t.xaxis))]).to.deep.equal(['x', 'x2', 'x3']);
    expect(() => trainingCurves({ loss: [1, NaN] })).to.throw(/history.loss\[1\] must be a finite number/);
    expect(() => trainingCurves({ loss: [1] }, { metrics: ['kl'] })).to.throw(/no curve named "kl"/);
  });

  it('toPlotlyJson turns typed arrays and non-finite numbers into JSON values', () => {
    const json = toPlotlyJson({ data: [{ type: 'scatter', x: new Float32Array([1, 2]), y: [NaN, 3], name: undefined }], layout: {} });
    expect(json.data[0]).to.deep.equal({ type: 'scatter', x: [1, 2], y: [null, 3] });
    expect(() => toPlotlyJson({ data: 3 } as unknown as Figure)).to.throw(/fig.data must be an array/);
  });
});
