/**
 * A validation worker for test/surveys/validation-pool.test.ts: what the server build does on
 * its worker threads (app/server.ts), loaded from the TypeScript sources through tsx.
 */
import { serveCoreValidation } from '../../app/models/surveys/validate.server';
import { getSurveys } from '../../app/models/surveys/surveys.server';

serveCoreValidation(getSurveys());
