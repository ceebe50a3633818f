/** Realign key sequences from Drizzle ORM (being built: see the package README). */
export {};
