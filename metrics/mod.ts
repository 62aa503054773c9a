/**
 * @srhm/metrics (filled by its issue).
 *
 * @module
 */
export const PACKAGE = "@srhm/metrics";
