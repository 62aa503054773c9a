/**
 * srhm: the Sparse Random Hierarchy Model (Tomasini & Wyart, ICML 2024) and the Random Hierarchy
 * Model, in TypeScript: grammars and data, the paper's networks, their training and measurements.
 *
 * @module
 */
export * as generators from "@srhm/generators";
export * as networks from "@srhm/networks";
export * as metrics from "@srhm/metrics";
export * as experiments from "@srhm/experiments";
