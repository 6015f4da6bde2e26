import { pgEnum } from 'drizzle-orm/pg-core';
import {
  CASE_LEVELS,
  DISPUTE_CATEGORIES,
  MEDIATION_CHANNELS,
  ORGANIZATION_KINDS,
  REGION_LEVELS,
  USER_ROLES,
} from '../server/domain/enums';

export const userRole = pgEnum('user_role', USER_ROLES);
export const organizationKind = pgEnum('organization_kind', ORGANIZATION_KINDS);
export const mediationChannel = pgEnum('mediation_channel', MEDIATION_CHANNELS);
export const regionLevel = pgEnum('region_level', REGION_LEVELS);
export const caseLevel = pgEnum('case_level', CASE_LEVELS);
export const disputeCategory = pgEnum('dispute_category', DISPUTE_CATEGORIES);
