/**
 * Grammars and data of the Sparse Random Hierarchy Model (SRHM): parameters, seeded streams,
 * production rules, sampling, encoding and the two transformations of the paper.
 *
 * @module
 */
export const PACKAGE = "@srhm/generators";
