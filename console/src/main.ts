import { createApp } from 'vue'
import { createRouter, createWebHistory } from 'vue-router'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { initAuth, currentUser } from './auth'
import { setUnauthorizedHandler } from './api/client'
import { clearSession, loadMe, me, activeRole, home } from './session'
import { setLocale, locale } from './i18n'
import { nameTableCheckboxes } from './a11y'

const router = createRouter({
  history: createWebHistory('/console/'),
  routes: [
    { path: '/', component: () => import('./views/NoRole.vue') },
    { path: '/signin', component: () => import('./views/SignIn.vue'), meta: { public: true } },
    { path: '/no-role', component: () => import('./views/NoRole.vue') },
    { path: '/review', component: () => import('./views/ReviewQueue.vue') },
    { path: '/claims/:id', component: () => import('./views/ReviewClaim.vue') },
    { path: '/review/tiers', component: () => import('./views/Tiers.vue') },
    { path: '/review/objections', component: () => import('./views/ReviewObjections.vue') },
    { path: '/review/clawbacks', component: () => import('./views/ReviewClawbacks.vue') },
    { path: '/hr/employments', component: () => import('./views/HrEmployments.vue') },
    { path: '/employer/staff', component: () => import('./views/EmployerStaff.vue') },
    { path: '/hr/filings', component: () => import('./views/HrFilings.vue') },
    { path: '/finance/batches', component: () => import('./views/FinanceBatches.vue') },
    { path: '/finance/batches/:id', component: () => import('./views/FinanceBatch.vue') },
    { path: '/finance/clawbacks', component: () => import('./views/FinanceClawbacks.vue') },
    { path: '/hr/claims', component: () => import('./views/HrClaims.vue') },
    { path: '/reports', component: () => import('./views/Reports.vue') },
    { path: '/housing/properties', component: () => import('./views/HousingProperties.vue') },
    { path: '/housing/units', component: () => import('./views/HousingUnits.vue') },
    { path: '/housing/rounds', component: () => import('./views/HousingRounds.vue') },
    { path: '/housing/rounds/:id', component: () => import('./views/HousingRound.vue') },
    { path: '/housing/leases', component: () => import('./views/HousingLeases.vue') },
    { path: '/housing/leases/:id', component: () => import('./views/HousingLease.vue') },
    { path: '/housing/objections', component: () => import('./views/HousingObjections.vue') },
    { path: '/admin/users', component: () => import('./views/AdminUsers.vue') },
    { path: '/admin/employers', component: () => import('./views/AdminEmployers.vue') },
    { path: '/admin/policies', component: () => import('./views/AdminPolicies.vue') },
    { path: '/admin/access-log', component: () => import('./views/AdminAccessLog.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

// Every screen but sign-in needs a signed-in user with their roles loaded;
// a deep link survives the detour through sign-in.
router.beforeEach(async (to) => {
  if (to.meta.public) return true
  if (!currentUser.value) return { path: '/signin', query: { next: to.fullPath } }
  if (!me.value) {
    try { await loadMe() } catch { return { path: '/signin', query: { next: to.fullPath } } }
  }
  if (!activeRole.value && to.path !== '/no-role') return '/no-role'
  if (to.path === '/') return home(activeRole.value)
  return true
})

setUnauthorizedHandler(() => {
  clearSession()
  if (router.currentRoute.value.path !== '/signin') router.push({ path: '/signin', query: { next: router.currentRoute.value.fullPath } })
})

setLocale(locale.value)
initAuth().then(() => {
  createApp(App).use(router).use(ElementPlus).mount('#app')
  nameTableCheckboxes(document.getElementById('app')!)
})
