import { z } from "zod";

/** The repository every repository action names. */
export const repositoryFields = {
  owner: z.string().min(1).describe("Account that owns the repository"),
  repo: z.string().min(1).describe("Repository name"),
};
