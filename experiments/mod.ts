/**
 * @srhm/experiments (filled by its issue).
 *
 * @module
 */
export const PACKAGE = "@srhm/experiments";
