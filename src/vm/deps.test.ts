import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingPackages } from './deps.js';

test('dpkg-query finds installed packages and reports the missing ones', () => {
  assert.deepEqual(missingPackages(['coreutils', 'dialogos-no-such-package']), ['dialogos-no-such-package']);
});
