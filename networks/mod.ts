/**
 * @srhm/networks (filled by its issue).
 *
 * @module
 */
export const PACKAGE = "@srhm/networks";
