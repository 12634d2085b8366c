import { expect } from 'chai';
import { calloutLabels, criterionCurves, densityContours, gmmEllipses, kmeansCircles, panels, pointLabels, softAssignments } from '../src/plot';

type Obj = Record<string, any>;
const traces = (fig: { data: unknown[] }): Obj[] => fig.data as Obj[];
const pts = [[0, 0], [1, 0], [0, 1], [10, 10], [12, 10], [10, 13]];

describe('plot options for legible figures', () => {
  it('calloutLabels moves a box that would cover another label or a labelled point to a free offset', () => {
    const area = { xRange: [0, 10] as [number, number], yRange: [0, 10] as [number, number], width: 500, height: 500 };
    // Three ends within a few px of each other, as where interpolation paths meet.
    const labels = calloutLabels([5, 5.2, 5.4], [5, 5, 5], ['start 4', 'end 7', 'end 9'], area);
    const offsets = labels.map((l) => [l.ax, l.ay].join(','));
    expect(new Set(offsets).size).to.equal(3);
    expect(labels.every((l) => l.showarrow === true && l.x !== undefined)).to.equal(true);
    // Boxes (0.6 em a character + padding, as the helper estimates) do not overlap pairwise.
    const box = (i: number) => {
      const px = ((Number(labels[i].x) - 0) / 10) * 500 + Number(labels[i].ax), py = ((10 - Number(labels[i].y)) / 10) * 500 + Number(labels[i].ay);
      const hw = (0.6 * 13 * String(labels[i].text).length) / 2 + 5, hh = 13 / 2 + 5;
      return [px - hw, py - hh, px + hw, py + hh];
    };
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) {
      const [a, b] = [box(i), box(j)];
      expect(a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3], `boxes ${i} and ${j} overlap`).to.equal(false);
    }
    // A lone label takes the first offset.
    expect([calloutLabels([1], [1], ['a'], area)[0].ax, calloutLabels([1], [1], ['a'], area)[0].ay]).to.deep.equal([40, -32]);
  });

  it('pointLabels boxes each text at its point and rejects mismatched or non-finite input', () => {
    const [a] = pointLabels([1], [2], ['x'], { borderColor: ['#ff0000'], shift: [0, 16] });
    expect(a).to.include({ x: 1, y: 2, text: 'x', showarrow: false, bordercolor: '#ff0000', yshift: 16 });
    expect(a.bgcolor).to.match(/rgba\(255,255,255/);
    expect(() => pointLabels([1, 2], [2], ['x', 'y'])).to.throw(/as many x, y and texts; got 2, 1 and 2/);
    expect(() => pointLabels([NaN], [2], ['x'])).to.throw(/label 0 \("x"\) is at a non-finite position/);
  });

  it('kmeansCircles and gmmEllipses label each centre, and the labels survive panels', () => {
    const km = kmeansCircles(pts, [[0, 0], [10, 10]], { centreLabels: ['mostly 4', 'mostly 9'] });
    expect((km.layout.annotations as Obj[]).map((a) => [a.x, a.y, a.text])).to.deep.equal([[0, 0, 'mostly 4'], [10, 10, 'mostly 9']]);
    expect(() => kmeansCircles(pts, [[0, 0], [10, 10]], { centreLabels: ['a'] })).to.throw(/centreLabels has 1 labels; there are 2 centres/);
    const params = { weights: [0.5, 0.5], means: [[0, 0], [10, 10]], covariances: [1, 2], covarianceType: 'spherical' as const };
    const gm = gmmEllipses(pts, params, { componentLabels: ['A', 'B'], fill: false });
    expect((gm.layout.annotations as Obj[]).map((a) => a.text)).to.deep.equal(['A', 'B']);
    expect(traces(gm).filter((t) => t.fill === 'toself')).to.have.length(0);  // outlines only
    expect(traces(gm).filter((t) => t.mode === 'lines')).to.have.length(6);
    expect(() => gmmEllipses(pts, params, { componentLabels: ['A'] })).to.throw(/componentLabels has 1 labels; the mixture has 2 components/);
    const both = panels([km, gm]);
    expect((both.layout.annotations as Obj[]).filter((a) => a.text === 'B')[0].xref).to.equal('x2');
  });

  it('softAssignments by size adds a legend key whose marker sizes match the points at those probabilities', () => {
    const p = [[0.9, 0.1], [0.5, 0.5], [0.2, 0.8], [1, 0], [0, 1], [0.6, 0.4]];
    const fig = softAssignments(pts, p, { encoding: 'size', sizeKey: [0.6, 1] });
    const key = traces(fig).filter((t) => t.legendgroup === 'size key');
    expect(key.map((t) => t.name)).to.deep.equal(['p = 0.6', 'p = 1']);
    const c0 = traces(fig)[0];  // points of component 0: p = 0.9, 0.5, 1, 0.6 in input order
    expect(key[0].marker.size).to.equal(c0.marker.size[3]);
    expect(key[1].marker.size).to.equal(c0.marker.size[2]);
    expect(traces(softAssignments(pts, p)).some((t) => t.legendgroup === 'size key')).to.equal(false);  // opacity: no key
    expect(() => softAssignments(pts, p, { encoding: 'size', sizeKey: [1.5] })).to.throw(/probabilities in \[0, 1\]; got 1.5/);
  });

  it('densityContours can share one fixed colour range between panels and hide its colour bar', () => {
    const a = { weights: [1], means: [[0, 0]], covariances: [1] };
    const b = { weights: [1], means: [[0, 0]], covariances: [0.1] };
    const range: [number, number] = [-14, 1];
    const [ca, cb] = [a, b].map((g) => traces(densityContours(g, { xRange: [-2, 2], yRange: [-2, 2], gridSize: 9, zRange: range }))[0]);
    for (const c of [ca, cb]) {
      expect([c.zmin, c.zmax, c.contours.start, c.contours.end]).to.deep.equal([-14, 1, -14, 1]);
      expect(Math.min(...c.z.flat())).to.be.at.least(-14);
    }
    expect(traces(densityContours(a, { xRange: [-2, 2], yRange: [-2, 2], gridSize: 5, showScale: false }))[0].showscale).to.equal(false);
    expect(() => densityContours(a, { xRange: [-1, 1], yRange: [-1, 1], zRange: [1, 0] })).to.throw(/zRange must be \[lowest, highest\]/);
  });

  it('criterionCurves gives each curve its own dash and symbol, and labels the minima at different heights', () => {
    const fig = criterionCurves([1, 2, 3], { AIC: [3, 1, 2], held: [3, 1.1, 2] });  // both minima at K = 2
    const lines = traces(fig).filter((t) => t.mode === 'lines+markers');
    expect(new Set(lines.map((t) => t.line.dash)).size).to.equal(2);
    expect(new Set(lines.map((t) => t.marker.symbol)).size).to.equal(2);
    const notes = fig.layout.annotations as Obj[];
    expect(notes.map((n) => n.text)).to.deep.equal(['AIC: K = 2', 'held: K = 2']);
    expect(notes[0].ay).to.not.equal(notes[1].ay);
    expect(criterionCurves([1, 2], { a: [1, 2] }, { markMinimum: false }).layout.annotations).to.equal(undefined);
  });
});
