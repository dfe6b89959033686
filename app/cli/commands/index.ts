import type { Command } from '../command';
import { backup } from './backup';
import { orgs } from './orgs';
import { setup } from './setup';
import { checkSurvey } from './check-survey';
import { codebook } from './codebook';
import { surveys } from './surveys';
import { contactsImport } from './contacts-import';
import { roundCreate } from './round-create';
import { roundRemind } from './round-remind';
import { roundStatus } from './round-status';
import { compareCommand } from './compare';
import { importGrantsCommand } from './import-grants';
import { importOrgs } from './import-orgs';
import { importResponsesCommand } from './import-responses';
import { userAdd } from './user-add';
import { jobsRunDue } from './jobs-run-due';
import { exportCommand } from './export';
import { roundJoint } from './round-joint';
import { surveyDiff, surveyPublish } from './survey';

/** Every CLI command. Add new ones here. */
export const commands: Command[] = [setup, orgs, importOrgs, backup, surveys, checkSurvey, codebook, roundCreate, roundStatus, roundRemind, contactsImport, importGrantsCommand, importResponsesCommand, compareCommand, userAdd, jobsRunDue, exportCommand, roundJoint, surveyPublish, surveyDiff];
