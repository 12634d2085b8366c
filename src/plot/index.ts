/**
 * Plotly figures for the notebooks: pure builders returning plain figure JSON,
 * `show` for tslab, `exportFigure` for files, live progress displays.
 */
export { Figure, Frame, Trace, Layout, LayoutOptions, PALETTE, colorOf, baseLayout, toPlotlyJson, describeFigure } from './figure';
export { Points, Labels, plotRound, plotDecimals } from './inputs';
export { GmmParams, fullCovariances, principalAxes, ellipseOutline, mixtureLogDensity, gmm2d } from './gaussian';
export { ScatterOptions, labelledScatter } from './scatter';
export { KMeansCirclesOptions, kmeansCircles } from './kmeans';
export { EllipseOptions, SoftAssignmentOptions, DensityOptions, gmmEllipses, softAssignments, densityContours } from './gmm';
export { CriterionOptions, criterionCurves } from './selection';
export { EmStep, EmAnimationOptions, emAnimation } from './animation';
export { PanelOptions, panels } from './panels';
export { CalloutArea, PointLabelOptions, calloutLabels, pointLabels } from './annotate';
export { BarSeries, GroupedBarsOptions, groupedBars } from './bars';
export {
  Images, ImageSetLike, MosaicOptions, ImageGridOptions, ReconstructionOptions, ManifoldOptions, LatentGrid,
  imageGrid, reconstructionPairs, manifoldGrid, latentGrid,
} from './images';
export { LatentScatterOptions, latentScatter } from './latent';
export { TrainingHistory, TrainingCurveOptions, trainingCurves } from './training';
export { ExportFormat, ExportOptions, ImageOptions, exportFigure, renderPng, renderSvg, closeBrowser } from './export';
export { figureToHtml } from './html';
export { TypedArraySpec, Dtype, PACK_MIN_LENGTH, packFigure, encodeArray, encodeMatrix, decodeArray, dtypeFor, isTypedArraySpec } from './typed-arrays';
export { compactPng } from './png';
export { chromiumAvailable, chromiumPath } from './browser';
export { ShowOptions, PLOTLY_MIME, show, figureBundle } from './show';
export { LiveDisplay, LiveContent, TrainingProgress, TrainingProgressOptions, FitCallbacks, FitProgressInfo, liveDisplay, trainingProgress } from './live';
export { insideTslab } from './tslab';
