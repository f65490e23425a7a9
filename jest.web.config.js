/**
 * `npm run test:web`: browser journeys (playwright-core + the system's Chromium) against the real
 * apps, each file on its own cloned database and Redis prefix. Not part of `npm test`.
 */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test-web/**/*.web-spec.ts'],
  testTimeout: 180000,
  maxWorkers: 1,
};
