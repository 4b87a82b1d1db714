/** The plugin's package name, as executors are named in the inferred targets (`@datahub/docker-stack:build`). */
export const PLUGIN = '@datahub/docker-stack';
/** The project of the stack as a whole (promotion, wiki, retention), beside one project per image. */
export const STACK_PROJECT = 'stack';
