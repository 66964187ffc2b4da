import { SignJWT } from "jose";

/** An HS256 user token for development (`Authorization: Bearer <token>`), signed with `AUTOFLOW_JWT_SECRET`. */
export async function createDevToken(
  secret: string,
  options: { userId?: string; expiresInSeconds?: number; issuer?: string; audience?: string } = {},
): Promise<string> {
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(options.userId ?? "dev-user")
    .setIssuedAt()
    .setExpirationTime(`${options.expiresInSeconds ?? 3600}s`);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
