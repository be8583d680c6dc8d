import { mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// The browser tests start Chromium and a preview server: generous timeouts.
export default mergeConfig(shared, { test: { include: ['test/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 300_000 } });
