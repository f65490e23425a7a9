import { createRouter, createWebHistory } from 'vue-router';
import { api } from './lib/api';

export const router = createRouter({
  history: createWebHistory('/console/'),
  routes: [
    { path: '/login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
    {
      path: '/',
      component: () => import('./views/LayoutView.vue'),
      children: [{ path: '', component: () => import('./views/HomeView.vue'), meta: { title: '概览' } }],
    },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});

router.beforeEach((to) => (to.meta.public || api.session ? true : { path: '/login' }));
