/** A YAML or JSON mapping: what a parsed config file's sections must be. */
export type Plain = Record<string, unknown>;

/** Not null and not a list. */
export const isPlainObject = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value);
