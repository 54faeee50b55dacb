/**
 * `load`'s module imported afresh, as a cold start imports it, with the environment variable `variable` unset; the
 * variable is put back afterwards. Rejects as the import does: `await expect(coldStartWithout('X', load)).rejects…`.
 */
export async function coldStartWithout<T>(variable: string, load: () => Promise<T>): Promise<T> {
  const saved = process.env[variable];
  delete process.env[variable];
  try {
    let loaded: T | undefined;
    await jest.isolateModulesAsync(async () => {
      loaded = await load();
    });
    return loaded as T;
  } finally {
    if (saved !== undefined) process.env[variable] = saved;
  }
}
