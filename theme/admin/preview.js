/* The editor's preview as the portal shows an item: the portal's own stylesheet and, for
   each content type, the title, summary, the item's facts and the rendered body, in the
   classes of theme/templates (h1, .lead, .facts, .prose). Plain JavaScript on Decap's
   window.h / window.createClass: no build step, nothing from a CDN. */
(function (CMS, h, createClass) {
  'use strict';

  // The facts each type shows in its box (theme/templates/<type>.html), by field name.
  var FACTS = {
    'tin-bai': ['category', 'event_date'],
    'van-ban': ['number', 'doc_type', 'issuer', 'signer', 'issued_date', 'effective_date'],
    'du-thao': ['opens', 'closes', 'audience', 'comment_to'],
    'hoi-dap': ['asker', 'asked_date', 'forwarded_to', 'answered_by', 'answered_date'],
    'khao-sat': ['kind', 'opens', 'closes', 'participate'],
    'trang': [],
  };
  // Shown under the body, as the footer of every item page.
  var FOOTER = ['authors', 'unit', 'source'];

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  // "2025-02-01" or "2025-02-01 08:30" as the portal writes it: 01/02/2025 (08:30).
  function vnDate(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/.exec(String(value));
    if (!m) return String(value);
    return m[3] + '/' + m[2] + '/' + m[1] + (m[4] ? ' ' + m[4] + ':' + m[5] : '');
  }

  function fieldOf(fields, name) {
    return fields && fields.find(function (f) { return f.get('name') === name; });
  }

  // A value as the reader sees it: option labels instead of stored values, dates in dd/mm/yyyy.
  function shown(field, value) {
    if (value === undefined || value === null || value === '') return '';
    var options = field.get('options');
    var values = value && value.toArray ? value.toArray() : [value];
    if (options) {
      values = values.map(function (v) {
        var option = options.find(function (o) { return (o.get ? o.get('value') : o) === v; });
        return option && option.get ? option.get('label') : v;
      });
    } else if (field.get('widget') === 'vn-date') {
      values = values.map(vnDate);
    }
    return values.join(', ');
  }

  function factList(fields, data, names, className) {
    var rows = [];
    names.forEach(function (name) {
      var field = fieldOf(fields, name);
      var text = field ? shown(field, data.get(name)) : '';
      if (text) rows.push(h('dt', { key: name + '-t' }, field.get('label')), h('dd', { key: name + '-d' }, text));
    });
    return rows.length ? h('dl', { className: className }, rows) : null;
  }

  function template(collection) {
    return createClass({
      render: function () {
        var entry = this.props.entry, fields = this.props.fields, getAsset = this.props.getAsset;
        var data = entry.get('data');
        var images = data.get('images') ? data.get('images').toArray() : [];
        var attachments = data.get('attachments');
        return h('main', { className: 'wrap cchc-preview' },
          h('article', { className: 'item' },
            h('h1', null, data.get('title') || ''),
            data.get('summary') ? h('p', { className: 'lead' }, data.get('summary')) : null,
            factList(fields, data, FACTS[collection] || [], 'facts'),
            images.map(function (image, i) {
              var src = image.get('src');
              return src ? h('figure', { key: 'img' + i },
                h('img', { src: getAsset(src).toString(), alt: image.get('alt') || '' }),
                image.get('caption') ? h('figcaption', null, image.get('caption')) : null) : null;
            }),
            h('div', { className: 'prose' }, this.props.widgetFor('body')),
            attachments && attachments.size ? h('section', null,
              h('h2', null, 'Tệp đính kèm'),
              h('ul', null, attachments.toArray().map(function (a, i) {
                return h('li', { key: 'a' + i }, a.get('title') || a.get('file'));
              }))) : null,
            h('footer', { className: 'item-footer' }, factList(fields, data, FOOTER, 'facts'))));
      },
    });
  }

  CMS.registerPreviewStyle('/theme/css/site.css');
  Object.keys(FACTS).forEach(function (collection) {
    CMS.registerPreviewTemplate(collection, template(collection));
  });
})(window.CMS, window.h, window.createClass);
