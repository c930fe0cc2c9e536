const KEY = 'console.apiToken';

/** The API token for this tab only: sessionStorage dies with the tab and is never sent anywhere but the API. */
export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  signIn: (token: string) => sessionStorage.setItem(KEY, token),
  signOut: () => sessionStorage.removeItem(KEY),
};
