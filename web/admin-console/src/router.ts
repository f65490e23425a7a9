import { createRouter, createWebHistory } from 'vue-router';
import { api } from './lib/api';

export const router = createRouter({
  history: createWebHistory('/console/'),
  routes: [
    { path: '/login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
    { path: '/lectures/:id/screen', component: () => import('./views/lectures/VenueScreenView.vue'), meta: { title: '签到大屏' } },
    {
      path: '/',
      component: () => import('./views/LayoutView.vue'),
      children: [
        { path: '', component: () => import('./views/DashboardView.vue'), meta: { title: '概览' } },
        { path: 'lectures', component: () => import('./views/lectures/LecturesView.vue'), meta: { title: '讲座与课程' } },
        { path: 'lectures/:id', component: () => import('./views/lectures/LectureDetailView.vue'), meta: { title: '讲座详情' } },
        { path: 'hours', component: () => import('./views/hours/HoursView.vue'), meta: { title: '学时' } },
        { path: 'directory', component: () => import('./views/directory/SchoolsView.vue'), meta: { title: '学校与班级' } },
        { path: 'directory/schools/:id', component: () => import('./views/directory/SchoolView.vue'), meta: { title: '学校' } },
        { path: 'join-requests', component: () => import('./views/directory/JoinRequestsView.vue'), meta: { title: '入班申请' } },
        { path: 'directory/classes/:id', component: () => import('./views/directory/ClassView.vue'), meta: { title: '班级花名册' } },
        { path: 'committees', component: () => import('./views/programs/CommitteesView.vue'), meta: { title: '家委会' } },
        { path: 'campaigns', component: () => import('./views/programs/CampaignsView.vue'), meta: { title: '主题活动' } },
        { path: 'counselling', component: () => import('./views/programs/CounsellingView.vue'), meta: { title: '心理辅导' } },
        { path: 'support-sites', component: () => import('./views/programs/SupportSitesView.vue'), meta: { title: '指导站点' } },
        { path: 'audit', component: () => import('./views/AuditView.vue'), meta: { title: '审计日志' } },
        { path: 'school-notices', component: () => import('./views/schools/SchoolNoticesView.vue'), meta: { title: '学校通知' } },
        { path: 'school-year', component: () => import('./views/schools/SchoolYearView.vue'), meta: { title: '学年与花名册' } },
        { path: 'mailbox', component: () => import('./views/schools/MailboxView.vue'), meta: { title: '校长信箱' } },
        { path: 'model-schools', component: () => import('./views/programs/ModelSchoolsView.vue'), meta: { title: '示范校' } },
      ],
    },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});

router.beforeEach((to) => (to.meta.public || api.session ? true : { path: '/login' }));
router.afterEach((to) => {
  document.title = `${(to.meta.title as string | undefined) ?? '管理端'} · 家校共育`;
});
