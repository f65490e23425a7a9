/** Nest injection token of the Drizzle database. */
export const DB = Symbol('DB');
