/* A date field as the portal writes dates: the contributor types dd/mm/yyyy (and hh:mm
   where the field takes a time), the file keeps YYYY-MM-DD (HH:mm), as the schemas say.
   Decap's own datetime widget is the browser's date input, whose order follows the
   browser's language (02/01/2025 for 1 February in an English browser): not this one.
   Config: `widget: vn-date`, `time: true|false`. */
(function (CMS, h, createClass) {
  'use strict';

  var STORED = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?$/;
  var TYPED = /^\s*(\d{1,2})\s*[\/.-]\s*(\d{1,2})\s*[\/.-]\s*(\d{4})(?:\s+(\d{1,2})\s*[:h]\s*(\d{2}))?\s*$/;

  function pad(n) { return (String(n).length < 2 ? '0' : '') + n; }

  function realDate(y, m, d, hh, mm) {
    var date = new Date(Date.UTC(+y, +m - 1, +d));
    return date.getUTCFullYear() === +y && date.getUTCMonth() === +m - 1 && date.getUTCDate() === +d &&
      (hh === undefined || (+hh < 24 && +mm < 60));
  }

  // "01/02/2025 08:30" -> "2025-02-01 08:30"; null when it is not a date of that form.
  function parse(text, withTime) {
    var m = TYPED.exec(text || '');
    if (!m || !realDate(m[3], m[2], m[1], m[4], m[5])) return null;
    if (m[4] !== undefined && !withTime) return null;
    return m[3] + '-' + pad(m[2]) + '-' + pad(m[1]) + (m[4] !== undefined ? ' ' + pad(m[4]) + ':' + m[5] : '');
  }

  // "2025-02-01 08:30" -> "01/02/2025 08:30"; other text unchanged.
  function show(value) {
    var m = STORED.exec(String(value || ''));
    if (!m) return value ? String(value) : '';
    return m[3] + '/' + m[2] + '/' + m[1] + (m[4] ? ' ' + m[4] + ':' + m[5] : '');
  }

  function isStored(value, withTime) {
    var m = STORED.exec(String(value));
    return !!m && (withTime || !m[4]) && realDate(m[1], m[2], m[3], m[4], m[5]);
  }

  var Control = createClass({
    getInitialState: function () { return { text: show(this.props.value) }; },
    componentDidUpdate: function (previous) {
      // A value set from outside (loading an entry): show it.
      if (previous.value !== this.props.value && this.props.value !== this.stored(this.state.text)) {
        this.setState({ text: show(this.props.value) });
      }
    },
    withTime: function () { return this.props.field.get('time') === true; },
    stored: function (text) {
      if (!text || !text.trim()) return '';
      var value = parse(text, this.withTime());
      return value === null ? text : value;
    },
    handleChange: function (event) {
      var text = event.target.value;
      this.setState({ text: text });
      this.props.onChange(this.stored(text));
    },
    isValid: function () {
      var value = this.props.value;
      if (!value || isStored(value, this.withTime())) return true;
      var example = this.withTime() ? '01/02/2025 08:30' : '01/02/2025';
      return { error: { type: 'CUSTOM', message: this.props.field.get('label') + ': ghi ' +
        (this.withTime() ? 'ngày/tháng/năm, có thể kèm giờ:phút' : 'ngày/tháng/năm') + ', ví dụ ' + example + '.' } };
    },
    render: function () {
      return h('input', {
        type: 'text',
        id: this.props.forID,
        className: this.props.classNameWrapper,
        value: this.state.text,
        inputMode: 'numeric',
        autoComplete: 'off',
        placeholder: this.withTime() ? 'ngày/tháng/năm giờ:phút' : 'ngày/tháng/năm',
        onChange: this.handleChange,
        onFocus: this.props.setActiveStyle,
        onBlur: this.props.setInactiveStyle,
      });
    },
  });

  var Preview = createClass({
    render: function () { return h('span', null, show(this.props.value)); },
  });

  CMS.registerWidget('vn-date', Control, Preview);
  window.cchcDates = { parse: parse, show: show };
})(window.CMS, window.h, window.createClass);
