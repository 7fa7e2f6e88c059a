/**
 * The Restate release the server-upgrade gate starts on, before upgrading in place to the release npm installs: the
 * newest of the previous minor line on the npm registry (the installed one is 1.7.x).
 */
export const UPGRADE_FROM_RELEASE = "1.6.2";
