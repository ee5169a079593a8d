/** Ends every comment Baton posts, so reading it back never counts as someone's request. */
export const BATON_ALERT_MARKER = '[baton:alert]';
