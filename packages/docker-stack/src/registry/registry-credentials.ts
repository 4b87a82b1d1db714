/** Basic credentials, or an identity token (an OAuth2 refresh token, e.g. from `docker login` to ACR or a helper). */
export interface RegistryCredentials {
  username?: string;
  password?: string;
  identitytoken?: string;
}
