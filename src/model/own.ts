/**
 * Sets `key` on a plain object as an own data property. Plain assignment would call Object.prototype's
 * `__proto__` setter for a key of that name (a record may have one) and lose it; every other key is assigned
 * plainly, which is much faster than defining each property (large evidence and documents are copied this way).
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else target[key] = value;
}
