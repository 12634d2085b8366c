import { expect } from 'chai';
import { Figure, TrainingHistory, TrainingProgress, trainingCurves } from '../src/plot';
// Types only: erased on compilation, so this file does not load tfjs.
import type { VAE, VAEHistory } from '../src/vae';

type Obj = Record<string, any>;
const traces = (fig: Figure): Obj[] => fig.data as Obj[];

/**
 * Type-level checks: this file compiles only if the histories the library itself
 * produces are accepted without casts, and if wrong ones are still rejected.
 * Never called; the compiler is the test.
 */
export function typeChecks(vae: VAE, progress: TrainingProgress, fitted: Awaited<ReturnType<VAE['fit']>>, history: VAEHistory): Figure[] {
  const annotated: TrainingHistory<VAEHistory> = history;
  const plain: TrainingHistory = { loss: [1, 2] };
  const rows: TrainingHistory = [{ epoch: 1, loss: 2 }];
  interface Row { epoch: number; loss: number; valLoss?: number }
  const typedRows: Row[] = [{ epoch: 1, loss: 2 }];
  const figures = [
    trainingCurves(fitted), trainingCurves(history), trainingCurves(progress.history), trainingCurves(annotated),
    trainingCurves(plain), trainingCurves(rows), trainingCurves(typedRows), trainingCurves({ loss: new Float32Array(2) }),
  ];
  void vae;
  // @ts-expect-error a column must hold numbers
  trainingCurves({ loss: ['a'] });
  // @ts-expect-error a column must be an array, not one number
  trainingCurves({ loss: 3 });
  // @ts-expect-error a row's values must be numbers
  trainingCurves([{ loss: 'a' }]);
  // @ts-expect-error not a history at all
  trainingCurves(3);
  return figures;
}

describe('plot: trainingCurves', () => {
  it('draws a VAEHistory as fit returns it, with and without a validation set', () => {
    const withVal: VAEHistory = {
      loss: [200, 180, 170], reconstruction: [195, 174, 163], kl: [5, 6, 7],
      valLoss: [190, 178, 172], valReconstruction: [185, 172, 165], valKl: [5, 6, 7],
      learningRate: [1e-3, 1e-3, 1e-3], seconds: [2, 2, 2],
    };
    const fig = trainingCurves(withVal);
    expect(traces(fig).map((t) => [t.name, t.xaxis])).to.deep.equal([
      ['train', 'x'], ['validation', 'x'], ['train', 'x2'], ['validation', 'x2'], ['train', 'x3'], ['validation', 'x3'],
    ]);
    expect(traces(fig)[3].y).to.deep.equal([185, 172, 165]);
    expect(traces(fig)[0].x).to.deep.equal([1, 2, 3]);
    // fit leaves the validation columns out without a validation set; an explicit undefined means the same.
    const noVal: VAEHistory = { loss: [3, 2], reconstruction: [2, 1.5], kl: [1, 0.5], valLoss: undefined, learningRate: [1, 1], seconds: [1, 1] };
    expect(traces(trainingCurves(noVal)).map((t) => t.name)).to.deep.equal(['train', 'train', 'train']);
  });

  it('titles the VAE panels readably, takes titles for other keys, and shows unknown keys as they are', () => {
    const titlesOf = (fig: ReturnType<typeof trainingCurves>): string[] =>
      ((fig.layout as { annotations: { text: string }[] }).annotations).map((a) => a.text);
    const h = { loss: [3, 2], reconstruction: [2, 1.5], kl: [1, 0.5] };
    expect(titlesOf(trainingCurves(h))).to.deep.equal(['<b>−ELBO (loss)</b>', '<b>reconstruction</b>', '<b>KL</b>']);
    expect(titlesOf(trainingCurves(h, { titles: { kl: 'KL(q ‖ p)' } }))).to.deep.equal(['<b>−ELBO (loss)</b>', '<b>reconstruction</b>', '<b>KL(q ‖ p)</b>']);
    expect(titlesOf(trainingCurves({ accuracy: [0.5, 0.7] }))).to.deep.equal(['<b>accuracy</b>']);
  });

  it('puts the legend below the x-axis titles, inside a bottom margin that holds it', () => {
    for (const options of [{}, { title: 'T', height: 380 }, { height: 300 }]) {
      const { layout } = trainingCurves({ loss: [3, 2], valLoss: [4, 3] }, options) as { layout: Obj };
      const plotHeight = layout.height - layout.margin.t - layout.margin.b;
      const legendTopPx = -layout.legend.y * plotHeight; // below the bottom of the panels
      expect(layout.legend.yanchor).to.equal('top');
      // Tick labels and the "epoch" title need about 50 px under the axis; a one-row legend about 30 px.
      expect(legendTopPx).to.be.within(55, layout.margin.b - 30);
      expect(layout.xaxis.title.text).to.equal('epoch');
    }
  });

  it('ticks every epoch on a short run only', () => {
    const short = trainingCurves({ loss: [3, 2], kl: [1, 2] }).layout as Obj;
    expect([short.xaxis.dtick, short.xaxis2.dtick]).to.deep.equal([1, 1]);
    expect((trainingCurves({ loss: Array.from({ length: 30 }, (_, i) => 1 / (i + 1)) }).layout as Obj).xaxis.dtick).to.equal(undefined);
    expect(() => trainingCurves({ loss: [1] }, { height: 150 })).to.throw(/height leaves -?\d+ px for the panels/);
  });
});
