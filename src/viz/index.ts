/**
 * Public surface of the drawing layer (D3 + plain DOM, no React, no tfjs).
 * `charts.ts` is deliberately not re-exported: importing uPlot needs a real browser
 * (matchMedia at load time), so import it from './viz/charts' where charts are used.
 */
export * from './types';
export * from './cellLayout';
export * from './scales';
export * from './renderCell';
export * from './legend';
export * from './exportSvg';
export * from './decimate';
export * from './entropy';
export { matrixReader, matrixRows } from './matrix';
export { edgeAriaLabel, edgeTitle, edgeTooltipRows, type EdgeOpReading } from './edgeText';
export { splitSubscript, stateLabel } from './nodeLabel';
