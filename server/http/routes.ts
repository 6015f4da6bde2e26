import type { Router } from 'express';
import type { Deps } from '../domain/context';
import { agreementFiles } from './agreement-files';
import { evidenceRoutes } from './evidence';
import { reportRoutes } from './reports';

/**
 * Plain HTTP routes beside GraphQL (file downloads and uploads). They run after authentication, so
 * `req.viewer` is set, and check visibility exactly as the case itself (api-contract.md).
 */
export const routeModules: ((deps: Deps) => Router)[] = [agreementFiles, evidenceRoutes, reportRoutes];
